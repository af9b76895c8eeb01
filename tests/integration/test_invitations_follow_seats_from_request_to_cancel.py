"""Calendar invitations follow the seat: REQUEST when it is confirmed, a new
REQUEST with a higher SEQUENCE when the time or room changes, CANCEL with
the same UID when it is lost. Every invitation passes the outside parsers
(libical's iTIP restrictions, ical.js, vobject, ical, icalendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.notification_helpers import (
    ORGANIZER,
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


@pytest.fixture
def notifications(tmp_path):
    return Notifications(tmp_path)


def assert_clean(message) -> None:
    ics, calendar = calendar_of(message)
    problems = all_problems(ics)
    if strict_mode():
        assert set(problems) == set(VALIDATORS)
    assert problems == {name: [] for name in problems}, problems
    part = [p for p in message.walk() if p.get_content_type() == "text/calendar"][0]
    assert part.get_param("method") == str(calendar["METHOD"])
    (vevent,) = calendar.events
    assert str(vevent["ORGANIZER"]) == f"mailto:{ORGANIZER}"
    assert str(vevent["ATTENDEE"]) == f"mailto:{message['To'].addresses[0].addr_spec}"
    attachments = [p for p in message.iter_attachments() if (p.get_filename() or "").endswith(".ics")]
    assert len(attachments) == 1 and attachments[0].get_payload(decode=True) == ics


def test_the_event_invitation_goes_request_then_update_then_cancel_keeping_its_uid(notifications):
    notifications.publish("event.published", event(revision=2))
    notifications.publish("registration.confirmed", registration("confirmed", revision=1))
    moved = event(
        revision=3,
        starts_at=dt.datetime(2030, 12, 15, 8, 30, tzinfo=UTC),
        ends_at=dt.datetime(2030, 12, 15, 12, 30, tzinfo=UTC),
        venue="Aula magna",
    )
    notifications.publish("event.updated", moved)
    notifications.flush_digests()
    notifications.publish("registration.cancelled", registration("cancelled", revision=2))

    confirmed, changed, cancelled = notifications.mails()
    first, update, cancel = invite_facts(confirmed), invite_facts(changed), invite_facts(cancelled)
    assert first[0] == "REQUEST" and update[0] == "REQUEST" and cancel[0] == "CANCEL"
    assert first[1] == update[1] == cancel[1]
    assert first[2] < update[2] < cancel[2]
    assert cancel[3] == "CANCELLED"
    _ics, calendar = calendar_of(changed)
    assert calendar.events[0].decoded("DTSTART") == dt.datetime(2030, 12, 15, 8, 30, tzinfo=UTC)
    assert "Aula magna" in str(calendar.events[0]["LOCATION"])
    for message in (confirmed, changed, cancelled):
        assert_clean(message)


def test_a_workshop_seat_gets_its_own_invitation_that_moves_and_is_cancelled_with_the_session(notifications):
    notifications.publish("registration.confirmed", registration("confirmed"))
    notifications.publish("workshop.confirmed", workshop("confirmed"))
    later = dt.datetime(2030, 12, 14, 13, 30, tzinfo=UTC)
    notifications.publish(
        "schedule.released", release(2, [session_item(starts=later, sequence=1, changes=("moved", "re_roomed"))])
    )
    notifications.flush_digests()
    notifications.publish(
        "schedule.released",
        release(3, [session_item(starts=later, sequence=2, changes=("cancelled",), status="cancelled")], previous=2),
    )
    notifications.flush_digests()
    # registration then cancels the sign-up because the session was cancelled: no second mail
    notifications.publish("workshop.cancelled", workshop("cancelled", revision=2))

    registered, seat, moved, cancelled = notifications.mails()
    assert invite_facts(registered)[1] != invite_facts(seat)[1]  # the event's and the workshop's own UIDs
    request, update, cancel = invite_facts(seat), invite_facts(moved), invite_facts(cancelled)
    assert [request[0], update[0], cancel[0]] == ["REQUEST", "REQUEST", "CANCEL"]
    assert request[1] == update[1] == cancel[1] and request[2] < update[2] < cancel[2]
    assert "Aula 2" in moved.get_body(preferencelist=("plain",)).get_content()
    for message in (seat, moved, cancelled):
        assert_clean(message)


def test_a_waiting_list_offer_or_pending_approval_carries_no_invitation(notifications):
    notifications.publish("registration.pending", registration("pending", n=1))
    notifications.publish("registration.waitlisted", registration("waitlisted", n=2, waitlist_position=3))
    notifications.publish(
        "registration.offered",
        registration("offered", n=3, offer_expires_at=dt.datetime(2030, 12, 1, 17, 0, tzinfo=UTC)),
    )
    notifications.publish("workshop.waitlisted", workshop("waitlisted", n=4, waitlist_position=2))
    mails = notifications.mails()
    assert len(mails) == 4 and all(calendar_of(m) is None for m in mails)
    offer = mails[2].get_body(preferencelist=("plain",)).get_content()
    assert "SECRET-3" in offer and "1 dicembre 2030, 18:00" in offer  # the deadline in Rome time


def test_a_rejection_after_confirmation_cancels_the_invitation_and_names_the_reason(notifications):
    notifications.publish("registration.confirmed", registration("confirmed"))
    notifications.publish(
        "registration.rejected", registration("rejected", revision=2, reason="Posti riservati ai dipendenti comunali")
    )
    _confirmed, rejected = notifications.mails()
    assert invite_facts(rejected)[0] == "CANCEL"
    assert "Posti riservati" in rejected.get_body(preferencelist=("plain",)).get_content()
    assert_clean(rejected)


def test_an_english_participant_gets_english_mail_and_invitation(notifications):
    notifications.publish("registration.confirmed", registration("confirmed", locale="en"))
    (mail,) = notifications.mails()
    assert mail["Content-Language"] == "en" and "Participatory budgeting" in str(mail["Subject"])
    assert str(calendar_of(mail)[1].events[0]["SUMMARY"]) == "Participatory budgeting"
    assert mail.get_body(preferencelist=("plain",)).get_content().startswith("Dear ")
