"""Addresses and names that mails must survive, through a real SMTP server
(aiosmtpd): a domain in any script is written in its IDNA form and the mail
is delivered; a local part that is not ASCII (it would need SMTPUTF8) gives a
delivery that failed at once with the reason, never an exception that
retries the event until it is parked; names cannot inject headers and are
escaped in the HTML part."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.utils import getaddresses

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import insert

from services.notifications.mail.smtp import SmtpTarget, send_due
from services.notifications.models import Delivery
from shared.db import utcnow
from shared.messaging.dispatch import Verdict
from tests.integration.notification_helpers import Notifications, registration
from tests.integration.smtp_server import Recorder, SmtpServer


class EnvelopeRecorder(Recorder):
    """Also keeps each mail's RCPT TO addresses."""

    def __init__(self):
        super().__init__()
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.append(list(envelope.rcpt_tos))
        return await super().handle_DATA(server, session, envelope)


class Smtp(SmtpServer):
    def __init__(self):
        super().__init__()
        self.recorder = EnvelopeRecorder()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Notifications(tmp_path, database_url=database_url)


def confirm(notifications, n: int, **participant):
    data = registration("confirmed", n=n)
    data["participant"].update(participant)
    return notifications.publish("registration.confirmed", data)


def test_a_domain_in_another_script_is_delivered_in_its_idna_form(notifications):
    assert confirm(notifications, 1, email="anna@exämple.org").verdict is Verdict.APPLIED
    [queued] = notifications.deliveries()
    assert queued.status == "pending" and queued.recipient == "anna@xn--exmple-cua.org"
    with Smtp() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 1
    assert smtp.recorder.recipients == [["anna@xn--exmple-cua.org"]]
    [mail] = smtp.recorder.received
    assert [address for _, address in getaddresses([str(mail["To"])])] == ["anna@xn--exmple-cua.org"]


def test_a_local_part_that_is_not_ascii_fails_with_its_reason_and_the_others_still_go(notifications):
    outcome = confirm(notifications, 1, email="ännä@example.org")
    assert outcome.verdict is Verdict.APPLIED, outcome  # handled once: no retries, nothing parked
    confirm(notifications, 2)
    bad, good = notifications.deliveries()
    assert bad.status == "failed" and "SMTPUTF8" in bad.last_error and bad.recipient == "ännä@example.org"
    assert message_from_bytes(bad.raw, policy=policy.default)["To"] == "undisclosed-recipients:;"
    with Smtp() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 1
    assert smtp.recorder.recipients == [["person2@example.org"]]
    assert [d.status for d in notifications.deliveries()] == ["failed", "sent"]


def test_a_pending_mail_to_an_unwritable_address_queued_before_fails_without_blocking_the_batch(notifications):
    confirm(notifications, 1)
    [good] = notifications.deliveries()
    with notifications.factory() as session, session.begin():
        session.execute(
            insert(Delivery).values(
                message_id="<old@eventi.example>",
                recipient="ännä@example.org",
                subject="old",
                kind="registration_confirmed",
                status="pending",
                attempts=0,
                next_attempt_at=utcnow(),
                created_at=utcnow(),
                raw=good.raw,
            )
        )
    with Smtp() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 1
    assert smtp.recorder.recipients == [["person1@example.org"]]
    old = notifications.deliveries(message_id="<old@eventi.example>")[0]
    assert old.status == "failed" and "SMTPUTF8" in old.last_error


def test_a_name_with_markup_and_line_breaks_is_escaped_and_injects_no_header(notifications):
    confirm(notifications, 1, first_name="<script>alert(1)</script>", last_name="Bianchi\r\nBcc: all@evil.example")
    with Smtp() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 1
    [mail] = smtp.recorder.received
    assert smtp.recorder.recipients == [["person1@example.org"]]
    assert mail["Bcc"] is None and "\n" not in str(mail["To"])
    html = mail.get_body(("html",)).get_content()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
