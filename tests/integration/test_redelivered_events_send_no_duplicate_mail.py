"""A redelivered message (same id: the inbox) or a repeated or stale
transition (same or older revision: the revision guards) never sends a
second mail, for every kind of event notifications reacts to."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.messaging.dispatch import Verdict
from tests.integration.notification_helpers import (
    UTC,
    Notifications,
    event,
    golden,
    new_id,
    registration,
    release,
    session_item,
    workshop,
)


@pytest.fixture
def notifications(tmp_path):
    return Notifications(tmp_path)


CASES = [
    ("registration.confirmed", lambda: registration("confirmed")),
    ("registration.waitlisted", lambda: registration("waitlisted", waitlist_position=1)),
    ("registration.link_requested", lambda: golden("registration.link_requested")),
    ("workshop.confirmed", lambda: workshop("confirmed")),
    ("attendance.certified", lambda: golden("attendance.certified")),
]


@pytest.mark.parametrize("event_type, data", CASES, ids=[c[0] for c in CASES])
def test_the_same_message_delivered_twice_queues_one_mail(notifications, event_type, data):
    message_id = new_id()
    first = notifications.publish(event_type, data(), message_id=message_id)
    again = notifications.publish(event_type, data(), message_id=message_id)
    assert (first.verdict, again.verdict) == (Verdict.APPLIED, Verdict.DUPLICATE)
    assert len(notifications.deliveries()) == 1


@pytest.mark.parametrize(
    "event_type, data",
    [c for c in CASES if c[0] != "registration.link_requested"],
    ids=[c[0] for c in CASES if c[0] != "registration.link_requested"],
)
def test_the_same_transition_republished_with_a_new_message_id_queues_no_second_mail(notifications, event_type, data):
    notifications.publish(event_type, data())
    notifications.publish(event_type, data())
    assert len(notifications.deliveries()) == 1


def test_an_older_revision_arriving_late_is_ignored(notifications):
    notifications.publish("registration.cancelled", registration("cancelled", revision=2))
    notifications.publish("registration.confirmed", registration("confirmed", revision=1))
    (cancelled,) = notifications.deliveries()
    assert cancelled.kind == "registration_cancelled"


def test_a_redelivered_release_adds_no_second_digest_entry_or_invitation_update(notifications):
    notifications.publish("workshop.confirmed", workshop("confirmed"))
    moved = release(2, [session_item(starts=dt.datetime(2030, 12, 14, 13, 0, tzinfo=UTC))])
    message_id = new_id()
    notifications.publish("schedule.released", moved, message_id=message_id)
    notifications.publish("schedule.released", moved, message_id=message_id)
    notifications.publish("schedule.released", moved)  # same version under a new id: stale
    notifications.flush_digests()
    assert [d.kind for d in notifications.deliveries()] == ["workshop_confirmed", "schedule_change"]


def test_changed_details_send_no_mail_but_later_mails_use_them(notifications):
    """registration.updated keeps notifications' copy of the person current:
    the mail about a moved event goes out in the newly chosen language, to
    the new name. A stale update (an older revision) changes nothing."""
    notifications.publish("registration.confirmed", registration("confirmed"))
    changed = registration("confirmed", revision=3, locale="en")
    changed["participant"]["first_name"] = "Anna Maria"
    notifications.publish("registration.updated", changed)
    notifications.publish("registration.updated", registration("confirmed", revision=2, locale="it"))  # stale
    assert len(notifications.deliveries()) == 1  # the confirmation only
    notifications.publish("event.updated", event(revision=3, venue="Aula magna"))
    notifications.flush_digests()
    moved = notifications.mails()[-1]
    assert len(notifications.deliveries()) == 2
    assert moved["To"].addresses[0].display_name == "Anna Maria Bianchi"
    assert "Aula magna" in moved.get_body(("plain",)).get_content() and "Dear Anna Maria" in str(
        moved.get_body(("plain",)).get_content()
    )
