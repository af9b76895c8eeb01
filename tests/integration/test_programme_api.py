"""The programme API on a real database: organisers build rooms, tracks,
speakers and sessions, see conflicts, and release named versions; the
public sees only the last release."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from sqlalchemy import select

from services.scheduling.models import Outbox
from shared.envelope import parse_envelope
from tests.integration.scheduling_support import SchedulingDesk, session_body


@pytest.fixture
def desk(tmp_path):
    return SchedulingDesk(tmp_path)


def programme(desk, slug):
    """A room of 30, a track, a session type, a speaker, and a session."""
    api = f"/api/v1/events/{slug}"
    room = desk.post(f"{api}/rooms", {"name": "Sala consiliare", "capacity": 30})
    track = desk.post(f"{api}/tracks", {"name": {"it": "Finanza locale", "en": "Local finance"}, "colour": "#aa3366"})
    kind = desk.post(f"{api}/session-types", {"name": {"it": "Laboratorio", "en": "Workshop"}})
    speaker = desk.post(
        f"{api}/speakers",
        {
            "name": "Anna Bianchi",
            "affiliation": "Comune di Prova",
            "bio": {"it": "Funzionaria."},
            "email": "anna@example.org",
        },
    )
    session = desk.post(
        f"{api}/sessions",
        session_body(
            "Bilancio partecipativo",
            "2027-03-27T10:00:00",
            "2027-03-27T11:00:00",
            room_id=room["id"],
            track_id=track["id"],
            type_id=kind["id"],
            speaker_ids=[speaker["id"]],
            requires_signup=True,
            seat_limit=25,
        ),
    )
    return room, track, kind, speaker, session


def outbox(desk, routing_key):
    with desk.factory() as session:
        rows = session.scalars(select(Outbox).where(Outbox.routing_key == routing_key).order_by(Outbox.id)).all()
    return [parse_envelope(json.loads(row.body)) for row in rows]


def test_every_programme_endpoint_wants_a_token(desk):
    slug = desk.published_event()
    for method, path in [
        ("get", "rooms"),
        ("post", "rooms"),
        ("post", "tracks"),
        ("post", "speakers"),
        ("get", "speakers"),
        ("post", "sessions"),
        ("get", "sessions"),
        ("get", "conflicts"),
        ("post", "schedule/releases"),
        ("patch", "sessions/1"),
        ("delete", "rooms/x"),
    ]:
        response = getattr(desk.client, method)(f"/api/v1/events/{slug}/{path}", json={})
        assert response.status_code == 401, (method, path, response.json)


def test_another_organisation_can_neither_read_nor_touch_the_programme(desk):
    slug = desk.published_event()
    room, _, _, speaker, session = programme(desk, slug)
    api, marco = f"/api/v1/events/{slug}", desk.marco
    calls = [
        desk.client.get(f"{api}/speakers", headers=marco),
        desk.client.post(f"{api}/rooms", json={"name": "Aula 2"}, headers=marco),
        desk.client.patch(f"{api}/rooms/{room['id']}", json={"capacity": 5}, headers=marco),
        desk.client.delete(f"{api}/speakers/{speaker['id']}", headers=marco),
        desk.client.patch(f"{api}/sessions/{session['id']}", json={"room_id": None}, headers=marco),
        desk.client.get(f"{api}/conflicts", headers=marco),
        desk.client.post(f"{api}/schedule/releases", json={"force": True}, headers=marco),
    ]
    assert [call.status_code for call in calls] == [404] * len(calls)  # as if the event did not exist


def test_a_speakers_e_mail_is_for_organisers_only(desk):
    slug = desk.published_event()
    programme(desk, slug)
    assert (
        desk.client.get(f"/api/v1/events/{slug}/speakers", headers=desk.giulia).json[0]["email"] == "anna@example.org"
    )
    desk.post(f"/api/v1/events/{slug}/schedule/releases")
    public = desk.client.get(f"/api/v1/events/{slug}/schedule").json
    assert "anna@example.org" not in json.dumps(public)
    (released,) = outbox(desk, "schedule.released")
    assert "anna@example.org" not in json.dumps(released.data, default=str)


def test_local_times_are_read_in_the_events_time_zone_across_the_dst_change(desk):
    slug = desk.published_event()
    created = desk.post(
        f"/api/v1/events/{slug}/sessions",
        session_body("Dopo il cambio d'ora", "2027-03-28T01:30:00", "2027-03-28T03:30:00"),
    )
    assert (created["starts_at"], created["ends_at"]) == ("2027-03-28T00:30:00+00:00", "2027-03-28T01:30:00+00:00")


def test_invalid_sessions_are_422_naming_the_field(desk):
    slug = desk.published_event()
    other = desk.published_event(title={"it": "Altro evento"})
    foreign_room = desk.post(f"/api/v1/events/{other}/rooms", {"name": "Altrove"})
    api = f"/api/v1/events/{slug}/sessions"
    cases = [
        (session_body("A", "2027-03-27T10:00:00", "2027-03-27T09:00:00"), "ends_at"),
        (session_body("A", "2027-03-27T10:00:00", "2027-03-27T11:00:00", room_id=foreign_room["id"]), "room_id"),
        (session_body("A", "2027-03-27T10:00:00", "2027-03-27T11:00:00", speaker_ids=["nobody"]), "speaker_ids"),
        (
            session_body("Pausa", "2027-03-27T10:00:00", "2027-03-27T11:00:00", kind="break", requires_signup=True),
            "kind",
        ),
        ({"starts_at": "2027-03-27T10:00:00", "ends_at": "2027-03-27T11:00:00"}, "title"),
    ]
    for body, field in cases:
        response = desk.client.post(api, json=body, headers=desk.giulia)
        assert response.status_code == 422 and field in response.json["errors"]["json"], response.json


def test_conflicts_are_returned_with_the_session_and_listed_for_the_event(desk):
    slug = desk.published_event()
    room, _, _, speaker, first = programme(desk, slug)
    api = f"/api/v1/events/{slug}"
    assert first["conflicts"] == []
    clash = desk.post(
        f"{api}/sessions",
        session_body(
            "Sovrapposta", "2027-03-27T10:30:00", "2027-03-27T11:30:00", room_id=room["id"], speaker_ids=[speaker["id"]]
        ),
    )
    assert {c["kind"] for c in clash["conflicts"]} == {"room_double_booked", "speaker_double_booked"}
    desk.patch(f"{api}/sessions/{first['id']}", {"seat_limit": 31})
    desk.post(f"{api}/sessions", session_body("Il giorno dopo", "2027-03-30T10:00:00", "2027-03-30T11:00:00"))
    listed = desk.client.get(f"{api}/conflicts", headers=desk.giulia).json["conflicts"]
    assert sorted(c["kind"] for c in listed) == [
        "outside_event_days",
        "room_double_booked",
        "seats_above_room_capacity",
        "speaker_double_booked",
    ]


def test_a_release_with_conflicts_is_refused_unless_forced(desk):
    slug = desk.published_event()
    room, *_ = programme(desk, slug)
    desk.post(
        f"/api/v1/events/{slug}/sessions",
        session_body("Sovrapposta", "2027-03-27T10:30:00", "2027-03-27T11:30:00", room_id=room["id"]),
    )
    refused = desk.client.post(f"/api/v1/events/{slug}/schedule/releases", json={}, headers=desk.giulia)
    assert refused.status_code == 409 and "force" in refused.json["errors"]["json"]
    assert [c["kind"] for c in refused.json["conflicts"]] == ["room_double_booked"]
    assert outbox(desk, "schedule.released") == []
    assert desk.client.get(f"/api/v1/events/{slug}/schedule").status_code == 404
    forced = desk.post(f"/api/v1/events/{slug}/schedule/releases", {"force": True, "name": "0.9 bozza"})
    assert forced["forced"] is True and forced["name"] == "0.9 bozza" and len(forced["conflicts"]) == 1


def test_the_public_sees_only_the_last_released_version(desk):
    slug = desk.published_event()
    _, _, _, _, session = programme(desk, slug)
    api = f"/api/v1/events/{slug}"
    assert desk.client.get(f"{api}/schedule").status_code == 404
    desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    desk.patch(f"{api}/sessions/{session['id']}", {"title": {"it": "Titolo in lavorazione"}})
    public = desk.client.get(f"{api}/schedule").json
    assert public["version"]["name"] == "1.0"
    assert [s["title"]["it"] for s in public["sessions"]] == ["Bilancio partecipativo"]
    room_links = public["rooms"][0]["links"]
    assert room_links["ical"].endswith(f"/scheduling/events/{slug}/rooms/{public['rooms'][0]['id']}/schedule.ics")


def test_releases_are_numbered_named_and_logged_against_the_previous_one(desk):
    slug = desk.published_event()
    room, _, _, _, first = programme(desk, slug)
    api = f"/api/v1/events/{slug}"
    second = desk.post(f"{api}/sessions", session_body("Chiusura", "2027-03-28T16:00:00", "2027-03-28T17:00:00"))
    v1 = desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    assert v1["number"] == 1 and len(v1["changelog"]["added"]) == 2
    aula = desk.post(f"{api}/rooms", {"name": "Aula Magna", "capacity": 200})
    desk.patch(
        f"{api}/sessions/{first['id']}",
        {"starts_at": "2027-03-27T15:00:00", "ends_at": "2027-03-27T16:00:00", "room_id": aula["id"]},
    )
    assert desk.client.delete(f"{api}/sessions/{second['id']}", headers=desk.giulia).status_code == 204
    third = desk.post(f"{api}/sessions", session_body("Nuova", "2027-03-28T09:00:00", "2027-03-28T10:00:00"))
    v2 = desk.post(f"{api}/schedule/releases", {"name": "1.1", "comment": "Spostamenti"})
    log = v2["changelog"]
    assert [e["id"] for e in log["moved"]] == [e["id"] for e in log["re_roomed"]] == [first["id"]]
    assert log["re_roomed"][0]["before"] == {"room": "Sala consiliare"}
    assert [e["id"] for e in log["cancelled"]] == [second["id"]] and [e["id"] for e in log["added"]] == [third["id"]]
    versions = desk.client.get(f"{api}/schedule/versions").json
    assert [(v["number"], v["name"]) for v in versions] == [(2, "1.1"), (1, "1.0")]
    again = desk.client.post(f"{api}/schedule/releases", json={"name": "1.2"}, headers=desk.giulia)
    assert again.status_code == 409 and "name" in again.json["errors"]["json"]  # nothing changed
    assert room  # the first room stays in the programme


def test_schedule_released_carries_the_version_and_every_changed_session(desk):
    slug = desk.published_event()
    room, _, _, _, first = programme(desk, slug)
    api = f"/api/v1/events/{slug}"
    desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    desk.patch(f"{api}/sessions/{first['id']}", {"starts_at": "2027-03-27T12:00:00", "ends_at": "2027-03-27T13:00:00"})
    desk.post(f"{api}/schedule/releases", {"name": "1.1"})
    v1, v2 = outbox(desk, "schedule.released")
    assert v1.data["version"]["number"] == 1 and v1.data["previous_version"] is None
    assert [s["changes"] for s in v1.data["sessions"]] == [["added"]]
    (moved,) = v2.data["sessions"]
    assert v2.data["changelog"]["moved"] == [moved["guid"]] and moved["changes"] == ["moved"]
    assert moved["sequence"] == 1 and moved["room"]["name"] == "Sala consiliare"
    assert moved["requires_signup"] is True and moved["seat_limit"] == 25
    assert moved["previous"]["starts_at"].hour == 9  # 10:00 in Rome, winter time
    assert moved["starts_at"].hour == 11 and moved["speakers"][0]["name"] == "Anna Bianchi"


def test_a_room_in_use_cannot_be_deleted_and_names_are_unique(desk):
    slug = desk.published_event()
    room, *_ = programme(desk, slug)
    api = f"/api/v1/events/{slug}"
    assert desk.client.delete(f"{api}/rooms/{room['id']}", headers=desk.giulia).status_code == 409
    duplicate = desk.client.post(f"{api}/rooms", json={"name": "Sala consiliare"}, headers=desk.giulia)
    assert duplicate.status_code == 409 and "name" in duplicate.json["errors"]["json"]
    empty = desk.post(f"{api}/rooms", {"name": "Sala vuota"})
    assert desk.client.delete(f"{api}/rooms/{empty['id']}", headers=desk.giulia).status_code == 204
    assert [r["name"] for r in desk.client.get(f"{api}/rooms", headers=desk.giulia).json] == ["Sala consiliare"]


def test_the_event_list_filters_by_type_organisation_and_days(desk):
    congress = desk.published_event()
    seminar = desk.published_event(
        type="seminar",
        title={"it": "Seminario"},
        starts_at="2027-05-10T09:00:00",
        ends_at="2027-05-10T13:00:00",
    )
    listed = desk.client.get
    assert [e["slug"] for e in listed("/api/v1/events?type=seminar").json["items"]] == [seminar]
    assert listed("/api/v1/events?organisation=comuni").json["total"] == 2
    assert listed("/api/v1/events?organisation=ateneo").json["total"] == 0
    assert [e["slug"] for e in listed("/api/v1/events?from=2027-03-28&to=2027-03-28").json["items"]] == [congress]
    assert [e["slug"] for e in listed("/api/v1/events?from=2027-04-01").json["items"]] == [seminar]
    assert [e["slug"] for e in listed("/api/v1/events?to=2027-03-26").json["items"]] == []
    page = listed("/api/v1/events?page=2&page_size=1").json
    assert page["total"] == 2 and [e["slug"] for e in page["items"]] == [seminar]
    assert listed("/api/v1/events?from=2027-04-01&to=2027-03-01").status_code == 422


def test_the_event_detail_links_webcal_and_google_add_by_url(desk):
    slug = desk.published_event()
    links = desk.client.get(f"/api/v1/events/{slug}").json["links"]
    ics = f"https://eventi.example.org/scheduling/events/{slug}/schedule.ics"
    assert (
        links["ical"] == ics and links["webcal"] == f"webcal://eventi.example.org/scheduling/events/{slug}/schedule.ics"
    )
    assert links["google"] == "https://calendar.google.com/calendar/r?cid=" + quote(links["webcal"], safe="")
    assert links["frab_xml"].endswith("/schedule.xml") and links["c3voc_json"].endswith("/schedule.json")


def test_the_openapi_document_lists_the_programme_endpoints(desk):
    paths = desk.client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/events/{slug}/rooms",
        "/api/v1/events/{slug}/sessions/{session_id}",
        "/api/v1/events/{slug}/schedule/releases",
        "/api/v1/events/{slug}/schedule",
    ):
        assert path in paths


@pytest.mark.postgres
def test_the_programme_migrates_and_releases_on_postgresql(tmp_path, pg_url):
    desk = SchedulingDesk(tmp_path, database_url=pg_url)
    slug = desk.published_event()
    programme(desk, slug)
    released = desk.post(f"/api/v1/events/{slug}/schedule/releases", {"name": "1.0"})
    assert released["number"] == 1
    feed = desk.client.get(f"/events/{slug}/schedule.ics")
    assert feed.status_code == 200 and b"Bilancio partecipativo" in feed.data
