"""Online and hybrid delivery through the scheduling API, on SQLite and
PostgreSQL: organisers set an event's and a session's mode and online room,
bad rooms are refused naming the field, the public never sees more than the
mode and the platform, and a session's change of delivery is released under
the kind `online` with a higher SEQUENCE."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services.scheduling.models import Outbox, ScheduleVersion
from shared.envelope import parse_envelope
from tests.integration.scheduling_support import SchedulingDesk, session_body

ZOOM = {
    "platform": "zoom",
    "join_url": "https://zoom.us/j/81234567890?pwd=segreto",
    "meeting_id": "812 3456 7890",
    "passcode": "314159",
}
TEAMS = {"platform": "teams", "join_url": "https://teams.microsoft.com/l/meetup-join/riservato"}
SECRETS = ("zoom.us/j/81234567890", "812 3456 7890", "314159", "teams.microsoft.com/l/meetup-join")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def desk(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return SchedulingDesk(tmp_path, database_url=database_url)


def online_course(desk, **overrides) -> str:
    return desk.published_event(delivery_mode="online", online=ZOOM, venue="", **overrides)


def outbox(desk, routing_key):
    with desk.factory() as session:
        rows = session.scalars(select(Outbox).where(Outbox.routing_key == routing_key).order_by(Outbox.id)).all()
    return [parse_envelope(json.loads(row.body)) for row in rows]


def test_an_online_event_keeps_its_room_for_organisers_and_shows_the_public_only_the_platform(desk):
    slug = online_course(desk, join_link_lead_minutes=30)
    mine = desk.client.get(f"/api/v1/events/{slug}", headers=desk.giulia).json
    assert mine["delivery_mode"] == "online" and mine["platform"] == "zoom"
    assert mine["online"] == {**ZOOM, "dial_in": ""} and mine["join_link_lead_minutes"] == 30
    for public in (
        desk.client.get(f"/api/v1/events/{slug}"),
        desk.client.get("/api/v1/events"),
        desk.client.get(f"/api/v1/events/{slug}", headers=desk.marco),
    ):
        body = public.get_data(as_text=True)
        shown = (public.json.get("items") or [public.json])[0]
        assert public.status_code == 200 and shown["platform"] == "zoom" and shown["delivery_mode"] == "online"
        assert "online" not in shown and not any(secret in body for secret in SECRETS), body


def test_the_published_event_carries_mode_room_and_lead_time(desk):
    slug = online_course(desk)
    published = outbox(desk, "event.published")[-1]
    assert published.data["delivery_mode"] == "online"
    assert published.data["online"]["join_url"] == ZOOM["join_url"]
    assert published.data["join_link_lead_minutes"] == 60
    desk.patch(f"/api/v1/events/{slug}", {"online": TEAMS})
    updated = outbox(desk, "event.updated")[-1]
    assert updated.data["online"]["platform"] == "teams" and updated.data["revision"] == published.data["revision"] + 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"delivery_mode": "online"}, "online"),
        ({"delivery_mode": "hybrid", "online": None}, "online"),
        ({"delivery_mode": "online", "online": {"platform": "skype", "join_url": "https://x.example"}}, "online"),
        ({"delivery_mode": "online", "online": {"platform": "zoom", "join_url": "ftp://x.example/room"}}, "online"),
        (
            {"delivery_mode": "online", "online": {"platform": "zoom", "join_url": "https://x.example/" + "a" * 2000}},
            "online",
        ),
        ({"delivery_mode": "online", "online": {"platform": "zoom"}}, "online"),
        ({"delivery_mode": "in_person", "online": ZOOM}, "online"),
        ({"delivery_mode": "remote"}, "delivery_mode"),
        ({"join_link_lead_minutes": -5}, "join_link_lead_minutes"),
        ({"join_link_lead_minutes": "soon"}, "join_link_lead_minutes"),
    ],
)
def test_a_bad_delivery_is_refused_naming_the_field(desk, body, field):
    from tests.integration.scheduling_support import CONGRESS

    created = desk.client.post("/api/v1/events", json={**CONGRESS, **body}, headers=desk.giulia)
    assert created.status_code == 422, created.json
    assert field in json.dumps(created.json["errors"]), created.json
    slug = desk.published_event()
    changed = desk.client.patch(f"/api/v1/events/{slug}", json=body, headers=desk.giulia)
    assert changed.status_code == 422 and field in json.dumps(changed.json["errors"]), changed.json


def test_switching_an_event_to_in_person_clears_its_room_unless_a_session_still_needs_it(desk):
    slug = online_course(desk)
    api = f"/api/v1/events/{slug}"
    lesson = session_body("Lezione 1", "2027-03-27T10:00:00", "2027-03-27T11:00:00", delivery_mode="online")
    lesson = desk.post(f"{api}/sessions", lesson)  # online through the event's room
    refused = desk.client.patch(api, json={"delivery_mode": "in_person"}, headers=desk.giulia)
    assert refused.status_code == 422 and list(refused.json["errors"]["json"]) == ["online"], refused.json
    assert str(lesson["id"]) in refused.json["message"]
    desk.patch(f"{api}/sessions/{lesson['id']}", {"delivery_mode": None})  # as the event again
    event = desk.patch(api, {"delivery_mode": "in_person", "venue": "Aula Magna"})
    assert event["delivery_mode"] == "in_person" and event["online"] is None and event["platform"] is None


def test_a_session_overrides_the_event_and_is_checked_against_it(desk):
    slug = desk.published_event()  # in person
    api = f"/api/v1/events/{slug}/sessions"
    no_room = desk.client.post(
        api,
        json=session_body("Webinar", "2027-03-27T10:00:00", "2027-03-27T11:00:00", delivery_mode="online"),
        headers=desk.giulia,
    )
    assert no_room.status_code == 422 and "online" in json.dumps(no_room.json), no_room.json
    stray = desk.client.post(
        api,
        json=session_body("Stanza", "2027-03-27T10:00:00", "2027-03-27T11:00:00", online=TEAMS),
        headers=desk.giulia,
    )
    assert stray.status_code == 422 and "online" in json.dumps(stray.json), stray.json
    webinar = desk.post(
        api, session_body("Webinar", "2027-03-27T10:00:00", "2027-03-27T11:00:00", delivery_mode="online", online=TEAMS)
    )
    assert webinar["delivery_mode"] == "online" and webinar["online"]["platform"] == "teams"
    back = desk.patch(f"{api}/{webinar['id']}", {"delivery_mode": None, "online": None})
    assert back["delivery_mode"] is None and back["online"] is None


def test_changing_a_sessions_delivery_raises_its_sequence_under_the_kind_online(desk):
    slug = online_course(desk)
    api = f"/api/v1/events/{slug}"
    lesson = desk.post(f"{api}/sessions", session_body("Lezione 1", "2027-03-27T10:00:00", "2027-03-27T11:00:00"))
    desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    desk.patch(f"{api}/sessions/{lesson['id']}", {"delivery_mode": "online", "online": TEAMS})
    release = desk.post(f"{api}/schedule/releases", {"name": "1.1"})
    assert [line["guid"] for line in release["changelog"]["online"]] == [lesson["guid"]]
    line = release["changelog"]["online"][0]
    assert line["before"] == {"delivery_mode": None, "platform": None}
    assert line["after"] == {"delivery_mode": "online", "platform": "teams"}
    assert desk.client.get(f"{api}/sessions/{lesson['id']}", headers=desk.giulia).json["sequence"] == 1
    released = outbox(desk, "schedule.released")[-1].data
    assert released["changelog"]["online"] == [lesson["guid"]]
    assert released["sessions"][0]["online"]["join_url"] == TEAMS["join_url"]
    assert released["sessions"][0]["delivery_mode"] == "online" and released["sessions"][0]["sequence"] == 1
    # only the link changes: still an `online` change, and still a new SEQUENCE
    desk.patch(f"{api}/sessions/{lesson['id']}", {"online": {**TEAMS, "join_url": TEAMS["join_url"] + "-2"}})
    again = desk.post(f"{api}/schedule/releases", {"name": "1.2"})
    assert again["changelog"]["online"][0]["before"] == again["changelog"]["online"][0]["after"]
    assert desk.client.get(f"{api}/sessions/{lesson['id']}", headers=desk.giulia).json["sequence"] == 2


def test_the_public_schedule_and_versions_never_carry_a_room(desk):
    slug = online_course(desk)
    api = f"/api/v1/events/{slug}"
    desk.post(
        f"{api}/sessions",
        session_body("Lezione 1", "2027-03-27T10:00:00", "2027-03-27T11:00:00", delivery_mode="hybrid", online=TEAMS),
    )
    desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    with desk.factory() as session:
        version = session.scalars(select(ScheduleVersion)).one()
        assert not any(secret in version.snapshot for secret in SECRETS)
        assert TEAMS["join_url"] in version.online_rooms
    schedule = desk.client.get(f"{api}/schedule").json
    assert schedule["sessions"][0]["platform"] == "teams" and schedule["sessions"][0]["delivery_mode"] == "hybrid"
    for path in ("schedule", "schedule/versions"):
        body = desk.client.get(f"{api}/{path}").get_data(as_text=True)
        assert not any(secret in body for secret in SECRETS), path
