"""A separate sender process (services.notifications.sender_worker) on
PostgreSQL: a mail queued by a use case reaches the SMTP server promptly
after its commit (the commit's NOTIFY wakes the process), while a row
written without NOTIFY waits for the poll interval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from services.notifications import services
from services.notifications.config import load_config
from services.notifications.models import Delivery
from services.notifications.outgoing import delivery_row
from shared.envelope import parse_envelope
from tests.factories import migrated_factory, settings_for
from tests.integration.smtp_server import SmtpServer

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "unit" / "golden" / "registration.confirmed.v1.json"
POLL = 4.0  # the sender's poll interval here: far above what a woken sender takes


def confirmation(email: str) -> dict:
    data = parse_envelope(json.loads(GOLDEN.read_text(encoding="utf-8"))).data
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
    settings = settings_for("notifications", tmp_path, database_url=pg_url)
    factory = migrated_factory("notifications", settings)
    factory.settings = settings
    with SmtpServer() as smtp:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
        env.update(
            NOTIFICATIONS_DATABASE_URL=pg_url,
            SMTP_URL=smtp.url,
            SMTP_CONNECTIONS="1",
            SENDER_POLL_SECONDS=str(POLL),
            VAR_DIR=str(tmp_path),
            PYTHONPATH=str(ROOT),
        )
        log = tmp_path / "sender.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "services.notifications.sender_worker"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        try:
            assert wait_for(lambda: "listening on" in log.read_text() or process.poll() is not None, 30) is not None
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)  # its first (empty) round is over: it now waits for a NOTIFY or the poll
            yield factory, smtp, log
        finally:
            process.terminate()
            process.wait(timeout=15)


def test_a_queued_mail_is_sent_promptly_after_commit_and_a_silent_row_waits_for_the_poll(sender_process):
    factory, smtp, log = sender_process
    received = smtp.recorder.received

    with factory() as session, session.begin():  # the use case: its commit NOTIFYs
        assert services.registration_changed(session, confirmation("anna@example.org"), factory.settings)
    prompt = wait_for(lambda: len(received) == 1, POLL + 5)
    assert prompt is not None and prompt < 1.0, (prompt, log.read_text())

    # control: the same kind of row committed without NOTIFY is only found by the next poll
    time.sleep(0.5)  # the sender has recorded that batch, found nothing more and gone back to waiting
    data = confirmation("bruno@example.org")
    row = delivery_row(
        load_config(factory.settings),
        kind="registration_confirmed",
        participant=data["participant"],
        event=data["event"],
        registration_id=None,
    )
    with factory() as session, session.begin():
        session.execute(insert(Delivery), [row])
    silent = wait_for(lambda: len(received) == 2, POLL + 5)
    assert silent is not None and silent > 1.5, (silent, log.read_text())
    assert [m["To"].addresses[0].addr_spec for m in received] == ["anna@example.org", "bruno@example.org"]
