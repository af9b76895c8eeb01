"""A separate sender process (services.notifications.worker.sender) on
PostgreSQL: a mail queued by a use case reaches the SMTP server promptly
after its commit (the commit's NOTIFY wakes the process), while a row
written without NOTIFY waits for the poll interval."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from services.notifications import registrations
from services.notifications.mail.outgoing import delivery_row
from services.notifications.models import Delivery
from tests.integration.notification_helpers import Notifications, golden
from tests.integration.sender_process import running_sender
from tests.integration.smtp_server import SmtpServer

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
POLL = 4.0  # the sender's poll interval here: far above what a woken sender takes


def confirmation(email: str) -> dict:
    data = golden("registration.confirmed")
    data["participant"]["email"] = email
    return data


def wait_for(condition, timeout: float) -> float | None:
    """Seconds until `condition()` held, or None after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.01)
    return None


@pytest.fixture
def sender_process(pg_url, tmp_path):
    notifications = Notifications(tmp_path, database_url=pg_url)
    with SmtpServer() as smtp:
        log = tmp_path / "sender.log"
        with running_sender(
            log,
            NOTIFICATIONS_DATABASE_URL=pg_url,
            SMTP_URL=smtp.url,
            SENDER_POLL_SECONDS=str(POLL),
            VAR_DIR=str(tmp_path),
        ):
            yield notifications, smtp, log


def test_a_queued_mail_is_sent_promptly_after_commit_and_a_silent_row_waits_for_the_poll(sender_process):
    notifications, smtp, log = sender_process
    received = smtp.recorder.received

    with notifications.factory() as session, session.begin():  # the use case: its commit NOTIFYs
        assert registrations.registration_changed(session, confirmation("anna@example.org"), notifications.config)
    prompt = wait_for(lambda: len(received) == 1, POLL + 5)
    assert prompt is not None and prompt < 1.0, (prompt, log.read_text())

    # control: the same kind of row committed without NOTIFY is only found by the next poll
    time.sleep(0.5)  # the sender has recorded that batch, found nothing more and gone back to waiting
    data = confirmation("bruno@example.org")
    row = delivery_row(
        notifications.config,
        kind="registration_confirmed",
        participant=data["participant"],
        event=data["event"],
        registration_id=None,
    )
    with notifications.factory() as session, session.begin():
        session.execute(insert(Delivery), [row])
    silent = wait_for(lambda: len(received) == 2, POLL + 5)
    assert silent is not None and silent > 1.5, (silent, log.read_text())
    assert [m["To"].addresses[0].addr_spec for m in received] == ["anna@example.org", "bruno@example.org"]
