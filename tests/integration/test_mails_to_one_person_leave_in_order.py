"""Mails to one person leave in the order they were written, whatever the
number of senders: a sender never sends a mail while an earlier one to the
same person is pending elsewhere (mid-batch in another sender, or waiting to
be retried), so a calendar CANCEL cannot overtake its REQUEST. On PostgreSQL,
where two senders take batches with FOR UPDATE SKIP LOCKED."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from services.notifications.mail.smtp import SmtpTarget, send_due
from services.notifications.models import Delivery
from tests.integration.notification_helpers import Notifications, registration
from tests.integration.smtp_server import SmtpServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def notifications(tmp_path, pg_url):
    service = Notifications(tmp_path, database_url=pg_url)
    service.publish("registration.confirmed", registration("confirmed", n=1))
    service.publish("registration.cancelled", registration("cancelled", n=1, revision=2))
    service.publish("registration.confirmed", registration("confirmed", n=2))  # someone else
    return service


def test_a_later_mail_waits_while_an_earlier_one_to_the_same_person_is_in_another_senders_batch(notifications):
    request, cancel, other = notifications.deliveries()
    assert request.recipient == cancel.recipient != other.recipient
    with SmtpServer() as smtp, notifications.factory() as first_sender, first_sender.begin():
        # Another sender holds the REQUEST mid-batch.
        first_sender.scalars(select(Delivery).where(Delivery.id == request.id).with_for_update()).one()
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 1
        assert [mail["To"].addresses[0].addr_spec for mail in smtp.recorder.received] == [other.recipient]
    assert {d.id: d.status for d in notifications.deliveries()} == {
        request.id: "pending",
        cancel.id: "pending",
        other.id: "sent",
    }
    with SmtpServer() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 2
        assert len(smtp.recorder.received) == 2  # the REQUEST, then the CANCEL
    assert [d.status for d in notifications.deliveries()] == ["sent", "sent", "sent"]
    sent = {d.id: d.sent_at for d in notifications.deliveries()}
    assert sent[request.id] <= sent[cancel.id]


def test_a_later_mail_waits_for_an_earlier_one_that_is_being_retried(notifications):
    request, cancel, _other = notifications.deliveries()
    with SmtpServer(replies=["451 4.3.0 try again later"]) as smtp:
        target = SmtpTarget.from_url(smtp.url)
        send_due(notifications.factory, target)  # the REQUEST is refused for now; the CANCEL waits for it
        retrying = next(d for d in notifications.deliveries() if d.id == request.id)
        assert retrying.status == "pending" and retrying.attempts == 1
        assert send_due(notifications.factory, target) >= 0
        assert next(d for d in notifications.deliveries() if d.id == cancel.id).status == "pending"
        later = retrying.next_attempt_at + dt.timedelta(minutes=1)
        send_due(notifications.factory, target, now=later)
    statuses = {d.id: d.status for d in notifications.deliveries()}
    assert statuses[request.id] == "sent" and statuses[cancel.id] == "sent"
    sent = {d.id: d.sent_at for d in notifications.deliveries()}
    assert sent[request.id] <= sent[cancel.id]
