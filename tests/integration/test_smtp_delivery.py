"""The sender loop against a real SMTP server (aiosmtpd): retries transient
refusals, records permanent ones, sends each mail exactly once."""

from __future__ import annotations

import datetime as dt

import pytest

from services.notifications.mail.smtp import SmtpTarget, send_due
from services.notifications.models import Delivery
from tests.integration.notification_helpers import Notifications, golden
from tests.integration.smtp_server import SmtpServer, free_port

LATER = dt.timedelta(days=1)


@pytest.fixture
def notifications(tmp_path):
    return Notifications(tmp_path)


def queue_confirmation(notifications, email="anna@example.org"):
    """Feed the golden registration.confirmed sample; returns the delivery id (None if no mail)."""
    data = golden("registration.confirmed")
    data["participant"]["email"] = email
    before = {d.id for d in notifications.deliveries()}
    notifications.publish("registration.confirmed", data)
    queued = [d.id for d in notifications.deliveries() if d.id not in before]
    return queued[0] if queued else None


def delivery(notifications, delivery_id) -> Delivery:
    with notifications.factory() as session:
        return session.get(Delivery, delivery_id)


def test_a_refusing_then_accepting_server_ends_with_exactly_one_delivered_mail(notifications):
    delivery_id = queue_confirmation(notifications)
    with SmtpServer(replies=["451 4.3.0 try again later"]) as smtp:
        target = SmtpTarget.from_url(smtp.url)
        assert send_due(notifications.factory, target) == 0
        first = delivery(notifications, delivery_id)
        assert first.status == "pending" and first.attempts == 1 and "451" in first.last_error
        assert send_due(notifications.factory, target) == 0  # backing off: not due yet
        assert send_due(notifications.factory, target, now=first.next_attempt_at + LATER) == 1
        assert send_due(notifications.factory, target, now=first.next_attempt_at + LATER) == 0
    assert smtp.recorder.refused == 1 and len(smtp.recorder.received) == 1
    sent = delivery(notifications, delivery_id)
    assert sent.status == "sent" and sent.attempts == 2
    assert smtp.recorder.received[0]["Message-ID"] == sent.message_id


def test_a_permanent_refusal_is_recorded_as_failed_and_not_retried(notifications):
    delivery_id = queue_confirmation(notifications)
    with SmtpServer(replies=["550 5.1.1 no such user"]) as smtp:
        target = SmtpTarget.from_url(smtp.url)
        send_due(notifications.factory, target)
        assert send_due(notifications.factory, target, now=dt.datetime.now(dt.timezone.utc) + LATER) == 0
    failed = delivery(notifications, delivery_id)
    assert failed.status == "failed" and failed.last_error.startswith("550")
    assert smtp.recorder.received == []


def test_an_unreachable_server_delays_the_mail_with_growing_back_off(notifications):
    delivery_id = queue_confirmation(notifications)
    target = SmtpTarget.from_url(f"smtp://127.0.0.1:{free_port()}")
    send_due(notifications.factory, target)
    first = delivery(notifications, delivery_id)
    send_due(notifications.factory, target, now=first.next_attempt_at + dt.timedelta(seconds=1))
    second = delivery(notifications, delivery_id)
    assert second.status == "pending" and second.attempts == 2
    assert (second.next_attempt_at - dt.datetime.now(dt.timezone.utc)) > dt.timedelta(seconds=6)
    with SmtpServer() as smtp:
        target = SmtpTarget.from_url(smtp.url)
        assert send_due(notifications.factory, target, now=second.next_attempt_at + dt.timedelta(seconds=1)) == 1
    assert len(smtp.recorder.received) == 1


def test_a_repeated_registration_event_queues_no_second_mail(notifications):
    assert queue_confirmation(notifications) is not None
    assert queue_confirmation(notifications) is None
    assert len(notifications.deliveries()) == 1


@pytest.mark.parametrize(
    "url, expected",
    [
        ("smtp://relay.example:2525", ("relay.example", 2525, "plain", None)),
        ("smtp+starttls://user%40x:p%3Aw@relay.example", ("relay.example", 587, "starttls", "user@x")),
        ("smtps://u:p@relay.example", ("relay.example", 465, "tls", "u")),
    ],
)
def test_smtp_urls_name_host_port_security_and_login(url, expected):
    target = SmtpTarget.from_url(url)
    assert (target.host, target.port, target.security, target.username) == expected


def test_an_unknown_smtp_scheme_is_refused_clearly():
    with pytest.raises(ValueError, match="scheme"):
        SmtpTarget.from_url("http://relay.example")
