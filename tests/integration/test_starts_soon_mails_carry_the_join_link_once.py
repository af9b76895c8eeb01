""" "Starts soon" mails STARTS_SOON_MINUTES before online and hybrid events
and workshops, on SQLite and PostgreSQL: once per confirmed person and item
(also with two jobs at once), with their own link when they have one; not
for waitlisted or cancelled people, in-person or cancelled items."""

from __future__ import annotations

import datetime as dt
import threading
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select

from services.notifications.models import StartsSoonSent
from services.notifications.starts_soon import send_due_starts_soon
from shared.db import utcnow
from tests.integration.notification_helpers import (
    UTC,
    Notifications,
    calendar_of,
    event,
    registration,
    release,
    session_item,
    workshop,
)

START = dt.datetime(2030, 12, 14, 8, 30, tzinfo=UTC)
WORKSHOP_START = dt.datetime(2030, 12, 14, 10, 30, tzinfo=UTC)
SOON = dt.timedelta(minutes=30)
ROOM = {"platform": "zoom", "join_url": "https://us02web.zoom.us/j/81234567890?pwd=SHARED", "passcode": "424242"}
PERSONAL = "https://us02web.zoom.us/w/81234567890?tk=PERSONAL-1"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request):
    return request.getfixturevalue("pg_url") if request.param == "postgres" else None


def people(notifications: Notifications) -> Notifications:
    notifications.publish("registration.confirmed", registration("confirmed", n=1))
    notifications.publish("registration.confirmed", registration("confirmed", n=2, locale="en"))
    notifications.publish("registration.waitlisted", registration("waitlisted", n=3, waitlist_position=1))
    notifications.publish("registration.confirmed", registration("confirmed", n=4))
    notifications.publish("registration.cancelled", registration("cancelled", n=4, revision=2))
    link = registration("confirmed", n=1)
    link.pop("manage_url")
    link.update(join_url=PERSONAL, changed_at=dt.datetime(2030, 11, 1, tzinfo=UTC))
    notifications.publish("registration.join_link_changed", link)
    return notifications


def online(tmp_path, database_url, mode: str = "online", **overrides) -> Notifications:
    notifications = Notifications(tmp_path, database_url=database_url, starts_soon=SOON)
    notifications.publish("event.published", event(delivery_mode=mode, online=ROOM, **overrides))
    return people(notifications)


def soon(notifications: Notifications, now: dt.datetime) -> int:
    return send_due_starts_soon(notifications.factory, notifications.config, now=now)


def sent(notifications: Notifications):
    return notifications.deliveries(kind="starts_soon")


def text(delivery, kind: str = "plain") -> str:
    return message_from_bytes(delivery.raw, policy=policy.default).get_body(preferencelist=(kind,)).get_content()


def test_each_confirmed_person_gets_the_link_once_at_the_right_time(tmp_path, database_url):
    notifications = online(tmp_path, database_url)
    assert soon(notifications, START - SOON - dt.timedelta(minutes=1)) == 0
    assert soon(notifications, START - SOON + dt.timedelta(minutes=1)) == 2
    assert soon(notifications, START - dt.timedelta(minutes=5)) == 0  # once only
    mails = {d.recipient: d for d in sent(notifications)}
    assert sorted(mails) == ["person1@example.org", "person2@example.org"]  # not waitlisted, not cancelled
    assert PERSONAL in text(mails["person1@example.org"]) and ROOM["join_url"] not in text(mails["person1@example.org"])
    english = text(mails["person2@example.org"])
    assert ROOM["join_url"] in english and "passcode: 424242" in english
    assert mails["person1@example.org"].subject.startswith("Tra poco: Bilancio")
    assert mails["person2@example.org"].subject.startswith("Starting soon: Participatory budgeting")
    assert f'<a href="{PERSONAL}" style=' in text(mails["person1@example.org"], "html")


def test_a_hybrid_workshop_in_the_events_room_gets_its_own_mail(tmp_path, database_url):
    notifications = online(tmp_path, database_url, mode="hybrid")
    notifications.publish("workshop.confirmed", workshop("confirmed", n=2))
    assert soon(notifications, WORKSHOP_START - dt.timedelta(minutes=10)) == 1
    (mail,) = sent(notifications)
    assert mail.recipient == "person2@example.org" and mail.subject.startswith("Starting soon: Lab")


def test_nothing_for_an_in_person_event(tmp_path, database_url):
    notifications = Notifications(tmp_path, database_url=database_url, starts_soon=SOON)
    notifications.publish("event.published", event())
    people(notifications)
    notifications.publish("workshop.confirmed", workshop("confirmed", n=2))
    assert soon(notifications, START - dt.timedelta(minutes=10)) == 0
    assert soon(notifications, WORKSHOP_START - dt.timedelta(minutes=10)) == 0
    assert sent(notifications) == []


def test_nothing_for_a_cancelled_event_or_once_it_started(tmp_path, database_url):
    notifications = online(tmp_path, database_url)
    assert soon(notifications, START + dt.timedelta(minutes=1)) == 0
    notifications.publish("event.cancelled", event(revision=3, status="cancelled", delivery_mode="online", online=ROOM))
    assert soon(notifications, START - dt.timedelta(minutes=10)) == 0
    assert sent(notifications) == []


def test_someone_confirmed_inside_the_window_already_has_the_link_and_gets_no_second_mail(tmp_path, database_url):
    now = utcnow()
    notifications = Notifications(tmp_path, database_url=database_url, starts_soon=SOON)
    starts = now + dt.timedelta(minutes=10)
    webinar = event(delivery_mode="online", online=ROOM, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    notifications.publish("event.published", webinar)
    late = registration("confirmed", n=1)
    late["event"].update(starts_at=webinar["starts_at"], ends_at=webinar["ends_at"])
    notifications.publish("registration.confirmed", late)
    (confirmation,) = notifications.deliveries(kind="registration_confirmed")
    (_ics, calendar) = calendar_of(message_from_bytes(confirmation.raw, policy=policy.default))
    assert [c.uri for c in calendar.events[0].conferences] == [ROOM["join_url"]]  # the invitation has it
    assert soon(notifications, now + dt.timedelta(minutes=1)) == 0
    with notifications.factory() as session:
        assert session.scalar(select(func.count()).select_from(StartsSoonSent)) == 1  # marked as told
    assert sent(notifications) == []


@pytest.mark.postgres
def test_two_jobs_at_once_mail_each_person_exactly_once(tmp_path, pg_url):
    notifications = online(tmp_path, pg_url)
    for n in range(10, 40):
        notifications.publish("registration.confirmed", registration("confirmed", n=n))
    now, counts = START - dt.timedelta(minutes=10), []
    barrier = threading.Barrier(2)

    def job():
        barrier.wait()
        counts.append(soon(notifications, now))

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recipients = [d.recipient for d in sent(notifications)]
    assert len(recipients) == len(set(recipients)) == 32 and sum(counts) == 32


def lesson(n: int, starts: dt.datetime, **overrides) -> dict:
    item = session_item(guid=f"lesson-{n}", starts=starts, minutes=120, changes=(), title=f"Lezione {n}")
    item.update(id=n, requires_signup=False, seat_limit=None, **overrides)
    return item


def test_a_course_with_a_programme_reminds_before_each_lesson_and_not_before_a_break(tmp_path, database_url):
    notifications = online(tmp_path, database_url)
    days = [START + dt.timedelta(days=n) for n in range(3)]
    lessons = [lesson(n + 1, day) for n, day in enumerate(days)]
    pause = lesson(9, days[0] + dt.timedelta(hours=2), kind="break")
    notifications.publish("schedule.released", release(1, [*lessons, pause]))
    for day in days:
        assert soon(notifications, day - dt.timedelta(minutes=10)) == 2  # the two confirmed people
    assert soon(notifications, days[0] + dt.timedelta(hours=2) - dt.timedelta(minutes=10)) == 0  # the break
    subjects = sorted(d.subject for d in sent(notifications) if d.recipient == "person1@example.org")
    assert subjects == ["Tra poco: Lezione 1", "Tra poco: Lezione 2", "Tra poco: Lezione 3"]
    assert "Lezione 2" in text(next(d for d in sent(notifications) if d.subject == "Tra poco: Lezione 2"))


def test_an_in_person_lesson_of_a_hybrid_course_sends_nothing(tmp_path, database_url):
    notifications = online(tmp_path, database_url, mode="hybrid")
    notifications.publish("schedule.released", release(1, [lesson(1, START, delivery_mode="in_person")]))
    assert soon(notifications, START - dt.timedelta(minutes=10)) == 0  # nor the event's own mail
    assert sent(notifications) == []
