"""How to join online, on the personal page and its API: only a confirmed
registration of an online or hybrid event, only from `join_link_lead_minutes`
before the start until the end (before that the page says from when), each
session's own room listed apart, and never cached."""

from __future__ import annotations

import datetime as dt

from tests.integration.registration_support import UTC, programme_session

ROOM = {
    "platform": "teams",
    "join_url": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRET",
    "meeting_id": "345 678 912",
    "passcode": "aB3dE",
    "dial_in": "+39 02 0000 0000,,123#",
}


def online_event(desk, *, starts_in: dt.timedelta, lead: int = 60, mode: str = "online") -> None:
    starts = dt.datetime.now(UTC).replace(microsecond=0) + starts_in
    desk.deliver(
        "event.updated",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        delivery_mode=mode,
        online=ROOM,
        join_link_lead_minutes=lead,
        capacity=1,
    )


def page(desk, token: str):
    return desk.client.get(f"/r/{token}", headers={"Accept-Language": "en"})


def test_a_confirmed_participant_sees_the_room_within_the_lead_time_and_the_page_is_not_cached(desk):
    online_event(desk, starts_in=dt.timedelta(minutes=30))
    token = desk.registered(1)["token"]
    (room,) = desk.own(token)["online"]["rooms"]
    assert room["available"] and room["join_url"] == ROOM["join_url"] and room["passcode"] == "aB3dE"
    assert (room["platform_name"], room["personal"], room["session_id"]) == ("Microsoft Teams", False, None)
    response = page(desk, token)
    html = response.get_data(as_text=True)
    assert ROOM["join_url"] in html and "345 678 912" in html and "Microsoft Teams" in html
    assert "no-store" in response.headers["Cache-Control"]


def test_before_the_lead_time_the_page_says_from_when_and_gives_no_link(desk):
    online_event(desk, starts_in=dt.timedelta(days=3), lead=30)
    token = desk.registered(1)["token"]
    (room,) = desk.own(token)["online"]["rooms"]
    assert not room["available"] and room["join_url"] is None and room["passcode"] is None
    assert dt.datetime.fromisoformat(room["shown_from"]) == dt.datetime.fromisoformat(room["starts_at"]) - dt.timedelta(
        minutes=30
    )
    html = page(desk, token).get_data(as_text=True)
    assert ROOM["join_url"] not in html and "aB3dE" not in html


def test_waitlisted_people_never_see_the_room(desk):
    online_event(desk, starts_in=dt.timedelta(minutes=30))
    desk.registered(1)
    waiting = desk.registered(2)["token"]
    assert desk.own(waiting)["status"] == "waitlisted" and desk.own(waiting)["online"] is None
    assert ROOM["join_url"] not in page(desk, waiting).get_data(as_text=True)


def test_cancelled_people_lose_the_room(desk):
    online_event(desk, starts_in=dt.timedelta(minutes=30))
    token = desk.registered(1)["token"]
    desk.client.post(f"/api/v1/self/{token}/cancel")
    assert desk.own(token)["online"] is None
    assert ROOM["join_url"] not in page(desk, token).get_data(as_text=True)


def test_an_in_person_event_has_no_online_section(desk):
    token = desk.registered(1)["token"]
    assert desk.own(token)["online"] is None


def test_a_session_with_its_own_room_is_listed_apart_and_a_workshops_only_for_its_seats(desk):
    online_event(desk, starts_in=dt.timedelta(minutes=30), mode="hybrid")
    start = desk.starts_at
    own_room = {**ROOM, "platform": "zoom", "join_url": "https://zoom.us/j/999?pwd=SESSION"}
    plenary = {**programme_session(1, start, 60, requires_signup=False, seat_limit=None), "online": own_room}
    workshop = {
        **programme_session(2, start, 60, seat_limit=5),
        "online": {**own_room, "join_url": "https://zoom.us/j/2"},
    }
    in_person = {
        **programme_session(3, start, 60, requires_signup=False),
        "delivery_mode": "in_person",
        "online": own_room,
    }
    desk.release(plenary, workshop, in_person)
    token = desk.registered(1)["token"]
    rooms = desk.own(token)["online"]["rooms"]
    assert [(r["session_id"], r["join_url"]) for r in rooms] == [(None, ROOM["join_url"]), (1, own_room["join_url"])]
    desk.client.patch(f"/api/v1/self/{token}", json={"workshops": [2]})
    assert [r["session_id"] for r in desk.own(token)["online"]["rooms"]] == [None, 1, 2]
