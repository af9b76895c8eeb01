"""Reminders REMINDER_LEAD_SECONDS before the event and each workshop, once
per person and item, to people who hold a seat then."""

from __future__ import annotations

import datetime as dt

import pytest

from services.notifications.reminders import send_due_reminders
from tests.integration.notification_helpers import UTC, Notifications, registration, workshop

START = dt.datetime(2030, 12, 14, 8, 30, tzinfo=UTC)
LEAD = dt.timedelta(hours=24)


@pytest.fixture
def notifications(tmp_path):
    notifications = Notifications(tmp_path, reminder_lead=LEAD)
    notifications.publish("registration.confirmed", registration("confirmed", n=1))
    notifications.publish("registration.confirmed", registration("confirmed", n=2, locale="en"))
    notifications.publish("registration.waitlisted", registration("waitlisted", n=3, waitlist_position=1))
    notifications.publish("workshop.confirmed", workshop("confirmed", n=1))
    return notifications


def reminders(notifications):
    return [d for d in notifications.deliveries() if d.kind == "reminder"]


def test_nothing_is_reminded_before_the_lead_time(notifications):
    assert send_due_reminders(notifications.factory, notifications.config, now=START - LEAD - dt.timedelta(1)) == 0


def test_each_confirmed_person_is_reminded_of_the_event_and_their_workshop_once(notifications):
    now = START - LEAD + dt.timedelta(hours=3)  # the 10:30 workshop is inside the lead too
    assert send_due_reminders(notifications.factory, notifications.config, now=now) == 3
    assert send_due_reminders(notifications.factory, notifications.config, now=now + dt.timedelta(hours=1)) == 0
    sent = reminders(notifications)
    assert sorted(d.recipient for d in sent) == ["person1@example.org", "person1@example.org", "person2@example.org"]
    subjects = sorted(d.subject for d in sent)
    assert subjects[0].startswith("Promemoria: Bilancio") and subjects[1].startswith("Promemoria: Laboratorio")
    assert subjects[2].startswith("Reminder: Participatory budgeting")


def test_nothing_is_reminded_once_the_event_has_started(notifications):
    assert send_due_reminders(notifications.factory, notifications.config, now=START + dt.timedelta(1)) == 0
