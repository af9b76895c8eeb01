"""Reminders and change digests carry List-Unsubscribe with RFC 8058's
one-click POST; using it stops those mails for that registration only, while
service mail (confirmations, organisers' messages) carries no such link. A
browser opening the link gets a page that asks first; a made-up link is a 404."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes, policy

import pytest

from services.notifications.config import NotifyConfig
from services.notifications.mail.outgoing import delivery_row
from services.notifications.reminders import send_due_reminders
from tests.integration.notification_helpers import UTC, Notifications, registration

START = dt.datetime(2030, 12, 14, 8, 30, tzinfo=UTC)
LEAD = dt.timedelta(hours=24)
DUE = START - LEAD + dt.timedelta(hours=1)


@pytest.fixture
def notifications(tmp_path):
    notifications = Notifications(tmp_path, reminder_lead=LEAD)
    notifications.publish("registration.confirmed", registration("confirmed", n=1))
    notifications.publish("registration.confirmed", registration("confirmed", n=2, locale="en"))
    return notifications


def unsubscribe_path(mail) -> str:
    url = re.fullmatch(
        r"<(https://eventi\.example/notifications(/api/v1/unsubscribe/[^>]+))>", mail["List-Unsubscribe"]
    )
    assert url, mail["List-Unsubscribe"]
    return url.group(2)


def test_service_mail_has_no_unsubscribe_link_and_reminders_have_one_click(notifications):
    (confirmed, _) = notifications.mails(kind="registration_confirmed")
    assert confirmed["List-Unsubscribe"] is None
    assert send_due_reminders(notifications.factory, notifications.config, now=DUE) == 2
    for reminder in notifications.mails(kind="reminder"):
        assert unsubscribe_path(reminder)
        assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digests_carry_the_link_too(notifications):
    config: NotifyConfig = notifications.config
    (delivery, _) = notifications.deliveries(kind="registration_confirmed")
    row = delivery_row(
        config,
        kind="schedule_digest",
        participant={"email": "p@example.org", "first_name": "P", "last_name": "R", "locale": "it"},
        event=registration("confirmed")["event"],
        registration_id=delivery.registration_id,
        changes=[],
    )
    mail = message_from_bytes(row["raw"], policy=policy.default)
    assert delivery.registration_id in unsubscribe_path(mail)


def test_one_click_stops_that_persons_reminders_only(notifications):
    send_due_reminders(notifications.factory, notifications.config, now=DUE)
    first = next(m for m in notifications.mails(kind="reminder") if "person1" in str(m["To"]))
    client = notifications.client()
    answer = client.post(unsubscribe_path(first), data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and answer.get_json() == {"unsubscribed": True}
    assert client.post(unsubscribe_path(first), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    # the next event's reminders: a new item for the same people
    with notifications.factory() as session, session.begin():
        from services.notifications.models import ReminderSent

        session.query(ReminderSent).delete()
    assert send_due_reminders(notifications.factory, notifications.config, now=DUE) == 1  # control: person2 still
    latest = notifications.mails(kind="reminder")[-1]
    assert "person2" in str(latest["To"])


def test_a_browser_is_asked_first_and_a_made_up_link_is_not_found(notifications):
    send_due_reminders(notifications.factory, notifications.config, now=DUE)
    path = unsubscribe_path(notifications.mails(kind="reminder")[0])
    client = notifications.client()
    opened = client.get(path)
    assert opened.status_code == 303 and "/unsubscribe/" in opened.headers["Location"]
    page = client.get(opened.headers["Location"].split("/notifications", 1)[-1])
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "Non mandarmeli più" in html
        and page.headers["Cache-Control"] == "private, no-store"
    )
    english = client.get(opened.headers["Location"].split("/notifications", 1)[-1], headers={"Accept-Language": "en"})
    assert "Stop sending them" in english.get_data(as_text=True)
    registration_id = path.rsplit("/", 1)[-1].split(".")[0]
    assert client.post(f"/api/v1/unsubscribe/{registration_id}.forged").status_code == 404
    assert client.get(f"/unsubscribe/{registration_id}.forged").status_code == 404
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    done = client.post(
        opened.headers["Location"].split("/notifications", 1)[-1], data={"csrf_token": token.group(1)} if token else {}
    )
    assert done.status_code == 200 and "Fatto:" in done.get_data(as_text=True)
