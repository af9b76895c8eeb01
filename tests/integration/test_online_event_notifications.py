"""Online and hybrid events in notifications, on SQLite and PostgreSQL: the
join link reaches confirmed people only (invitation with CONFERENCE, agenda
feed, mail text), a new room or personal link sends an updated REQUEST with
a higher SEQUENCE, and waitlisted, pending or cancelled people never see it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.notification_helpers import (
    UTC,
    Notifications,
    calendar_of,
    event,
    invite_facts,
    registration,
    release,
    session_item,
    workshop,
)
from tests.validators import VALIDATORS, all_problems, strict_mode

TEAMS = {
    "platform": "teams",
    "join_url": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_SHARED",
    "meeting_id": "385 562 117 93",
    "passcode": "aB3xY7",
    "dial_in": "+39 02 3046 5120",
}
NEW_ROOM = {**TEAMS, "join_url": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NEW"}
PERSONAL = "https://us02web.zoom.us/w/81234567890?tk=PERSONAL-1"
SECRET_MARKS = (b"meeting_SHARED", b"meeting_NEW", b"PERSONAL-1", b"aB3xY7")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    notifications = Notifications(tmp_path, database_url=database_url)
    notifications.publish("event.published", online_event())
    notifications.publish("registration.confirmed", registration("confirmed", n=1))
    notifications.publish("registration.waitlisted", registration("waitlisted", n=2, waitlist_position=1))
    notifications.publish("registration.pending", registration("pending", n=3))
    return notifications


def online_event(revision: int = 2, mode: str = "online", room: dict | None = TEAMS, **overrides) -> dict:
    return event(revision=revision, delivery_mode=mode, online=room, join_link_lead_minutes=45, **overrides)


def join_link(n: int, url: str | None, *, revision: int = 1, status: str = "confirmed") -> dict:
    data = registration(status, n=n)
    for name in ("manage_url", "waitlist_position", "reason", "category", "offer_expires_at", "previous_status"):
        data.pop(name, None)
    data.update(revision=revision, join_url=url, changed_at=dt.datetime(2030, 11, 1, tzinfo=UTC))
    return data


def mails_to(notifications, n: int, **where) -> list:
    return notifications.mails(recipient=f"person{n}@example.org", **where)


def conference_uris(message) -> list[str]:
    _ics, calendar = calendar_of(message)
    return [str(c.uri) for c in calendar.events[0].conferences]


def assert_clean(message) -> None:
    ics, _calendar = calendar_of(message)
    problems = all_problems(ics)
    if strict_mode():
        assert set(problems) == set(VALIDATORS)
    assert problems == {name: [] for name in problems}, problems


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def decoded(message) -> bytes:
    """Every part as the reader gets it (the calendar part travels in base64,
    so the raw bytes would never show a link)."""
    parts = [p.get_payload(decode=True) or b"" for p in message.walk() if not p.is_multipart()]
    return b"".join(parts).replace(b"\r\n ", b"")  # unfolded


def assert_no_link_for(notifications, *people: int) -> None:
    for n in people:
        for message in mails_to(notifications, n):
            assert not any(mark in decoded(message) for mark in SECRET_MARKS), message["Subject"]


def test_the_link_check_sees_a_link_in_the_calendar_part(notifications):
    """Control for assert_no_link_for: a confirmed person's invitation does show the link to it."""
    (confirmation,) = mails_to(notifications, 1)
    assert b"meeting_SHARED" in decoded(confirmation) and b"meeting_SHARED" not in confirmation.as_bytes()


def test_a_confirmed_person_gets_the_link_in_the_invitation_and_nobody_else_sees_it(notifications):
    (confirmation,) = mails_to(notifications, 1)
    assert_clean(confirmation)
    assert conference_uris(confirmation) == [TEAMS["join_url"], "tel:+39-02-3046-5120"]
    text = text_of(confirmation)
    assert "online (Microsoft Teams)" in text and "45 minuti prima" in text and "30 minuti prima" in text
    assert_no_link_for(notifications, 2, 3)
    assert calendar_of(mails_to(notifications, 2)[0]) is None


def test_a_new_room_sends_an_updated_request_with_a_higher_sequence_to_confirmed_people_only(notifications):
    before = {n: len(mails_to(notifications, n)) for n in (1, 2, 3)}
    (_method, uid, sequence, _status) = invite_facts(mails_to(notifications, 1)[0])
    notifications.publish("event.updated", online_event(revision=3, room=NEW_ROOM))
    notifications.flush_digests()
    (update,) = mails_to(notifications, 1, kind="schedule_change")
    assert invite_facts(update) == ("REQUEST", uid, sequence + 1, "CONFIRMED")
    assert conference_uris(update)[0] == NEW_ROOM["join_url"]
    assert_clean(update)
    assert update["Subject"].startswith("Nuovi dati di collegamento") and "meeting_NEW" in text_of(update)
    assert {n: len(mails_to(notifications, n)) for n in (2, 3)} == {2: before[2], 3: before[3]}
    assert_no_link_for(notifications, 2, 3)


def test_the_same_room_again_sends_nothing(notifications):
    count = len(notifications.deliveries())
    notifications.publish("event.updated", online_event(revision=3))
    notifications.flush_digests()
    assert len(notifications.deliveries()) == count


def test_a_personal_link_replaces_the_shared_one_and_stale_news_is_ignored(notifications):
    notifications.publish("registration.join_link_changed", join_link(1, PERSONAL))
    notifications.flush_digests()
    (update,) = mails_to(notifications, 1, kind="schedule_change")
    assert invite_facts(update)[0] == "REQUEST" and invite_facts(update)[2] == 1
    assert conference_uris(update)[0] == PERSONAL and TEAMS["join_url"] not in text_of(update)
    notifications.publish("registration.join_link_changed", join_link(1, "https://zoom.us/w/STALE", revision=1))
    notifications.flush_digests()
    assert len(mails_to(notifications, 1, kind="schedule_change")) == 1


def test_a_personal_link_of_a_waitlisted_person_waits_until_the_seat(notifications):
    notifications.publish("registration.join_link_changed", join_link(2, PERSONAL, status="waitlisted"))
    notifications.flush_digests()
    assert_no_link_for(notifications, 2)
    notifications.publish("registration.confirmed", registration("confirmed", n=2, revision=2))
    confirmation = mails_to(notifications, 2, kind="registration_confirmed")[0]
    assert conference_uris(confirmation)[0] == PERSONAL


def test_a_cancelled_person_loses_the_invitation_without_the_link(notifications):
    notifications.publish("registration.cancelled", registration("cancelled", n=1, revision=2))
    (cancel,) = mails_to(notifications, 1, kind="registration_cancelled")
    assert invite_facts(cancel)[0] == "CANCEL" and not any(mark in decoded(cancel) for mark in SECRET_MARKS)
    notifications.publish("event.updated", online_event(revision=3, room=NEW_ROOM))
    notifications.flush_digests()
    assert not mails_to(notifications, 1, kind="schedule_change")


def feed_body(notifications, n: int) -> bytes:
    text = text_of(mails_to(notifications, n, kind="registration_confirmed")[0])
    (url,) = [w for w in text.split() if w.startswith("https://eventi.example/") and w.endswith(".ics")]
    response = notifications.client().get(url.removeprefix("https://eventi.example/notifications"))
    assert response.status_code == 200
    return response.data


def test_the_agenda_feed_carries_the_link_while_the_person_is_confirmed(notifications):
    body = feed_body(notifications, 1)
    assert b"CONFERENCE;FEATURE=VIDEO,AUDIO;LABEL=Microsoft Teams;VALUE=URI:" in body
    assert b"meeting_SHARED" in body.replace(b"\r\n ", b"")
    problems = all_problems(body)
    assert problems == {name: [] for name in problems}, problems
    notifications.publish("registration.cancelled", registration("cancelled", n=1, revision=2))
    assert b"meeting_SHARED" not in feed_body(notifications, 1).replace(b"\r\n ", b"")


def test_a_workshop_in_the_events_room_then_in_its_own_room_gets_an_updated_invitation(notifications):
    notifications.publish("workshop.confirmed", workshop("confirmed", n=1))
    (seat,) = mails_to(notifications, 1, kind="workshop_confirmed")
    assert conference_uris(seat)[0] == TEAMS["join_url"]
    (_method, uid, sequence, _status) = invite_facts(seat)
    own = {"platform": "jitsi", "join_url": "https://meet.jit.si/eventi-laboratorio"}
    item = session_item(starts=dt.datetime(2030, 12, 14, 10, 30, tzinfo=UTC), changes=("online",))
    item.update(delivery_mode="online", online=own)
    notifications.publish("schedule.released", release(2, [item]))
    notifications.flush_digests()
    (update,) = mails_to(notifications, 1, kind="schedule_change")
    assert invite_facts(update) == ("REQUEST", uid, sequence + 1, "CONFIRMED")
    assert conference_uris(update) == [own["join_url"]]
    assert_clean(update)


def test_a_workshop_following_the_events_room_is_updated_with_it(notifications):
    notifications.publish("workshop.confirmed", workshop("confirmed", n=1))
    notifications.publish("event.updated", online_event(revision=3, room=NEW_ROOM))
    notifications.flush_digests()
    updates = [m for m in mails_to(notifications, 1) if m["Subject"].startswith("Aggiornamento del calendario")]
    assert len(updates) == 2  # a digest lists both; each invitation follows in its own mail
    assert all(conference_uris(m)[0] == NEW_ROOM["join_url"] for m in updates)


def test_an_in_person_event_carries_no_conference(tmp_path):
    notifications = Notifications(tmp_path)
    notifications.publish("event.published", event())
    notifications.publish("registration.confirmed", registration("confirmed", n=1))
    (confirmation,) = mails_to(notifications, 1)
    assert conference_uris(confirmation) == [] and "online" not in text_of(confirmation)


def test_the_room_arriving_after_the_registration_still_reaches_the_confirmed(tmp_path):
    """A registration's event summary of the same revision came first: the
    full event.published is still applied, and brings the link."""
    notifications = Notifications(tmp_path)
    notifications.publish("registration.confirmed", registration("confirmed", n=1))
    notifications.publish("event.published", online_event(revision=1))
    notifications.flush_digests()
    (update,) = mails_to(notifications, 1, kind="schedule_change")
    assert conference_uris(update)[0] == TEAMS["join_url"]
