"""NOTIFICATIONS_SENDER: the worker sends inline by default and leaves the
sending to sender processes when `separate`; a separate sender LISTENs only
on PostgreSQL (it polls on SQLite)."""

from __future__ import annotations

import pytest

from services.notifications.config import load_config
from services.notifications.mail.smtp import SmtpTarget
from services.notifications.store import wakeups
from services.notifications.worker import sender
from services.notifications.worker.loops import SenderLoop
from services.notifications.worker.main import loops
from shared.config import load_settings


def sends_inline(env: dict) -> bool:
    return load_config(load_settings("notifications"), env=env).sends_inline


def test_the_worker_sends_inline_unless_told_otherwise():
    assert sends_inline({}) and sends_inline({"NOTIFICATIONS_SENDER": "inline"})
    assert not sends_inline({"NOTIFICATIONS_SENDER": " Separate "})
    with pytest.raises(ValueError):
        sends_inline({"NOTIFICATIONS_SENDER": "elsewhere"})


def test_a_separate_sender_leaves_the_worker_without_sender_loops(tmp_path):
    settings = load_settings("notifications", var_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/n.db")
    config = load_config(settings, env={"SMTP_CONNECTIONS": "2"})
    separate = load_config(settings, env={"SMTP_CONNECTIONS": "2", "NOTIFICATIONS_SENDER": "separate"})
    wakes = {wakeups.MAIL: wakeups.Wake(), wakeups.DIGEST: wakeups.Wake()}
    assert senders(loops(None, config, wakes)) == 2
    assert senders(loops(None, separate, wakes)) == 0


def test_the_sender_process_polls_every_sender_poll_seconds():
    settings = load_settings("notifications")
    assert load_config(settings, env={}).sender_poll == 1.0
    assert load_config(settings, env={"SENDER_POLL_SECONDS": "4"}).sender_poll == 4.0


def senders(running: list) -> int:
    return sum(isinstance(loop, SenderLoop) for loop in running)


def test_the_sender_process_listens_on_postgresql_and_polls_on_sqlite():
    target = SmtpTarget.from_url("smtp://127.0.0.1:2525")
    on_pg = sender.loops("postgresql://u:p@db/n", None, target, 2, 1.0)
    on_sqlite = sender.loops("sqlite:///n.db", None, target, 2, 1.0)
    assert [type(loop) for loop in on_pg] == [sender.Listener, SenderLoop, SenderLoop]
    assert on_pg[0].dsn == "postgresql://u:p@db/n"
    assert [type(loop) for loop in on_sqlite] == [SenderLoop, SenderLoop]
