"""Notifications' Alembic migrations go up, down and up again and match the
models, on SQLite and PostgreSQL; on PostgreSQL, two digest flushers and two
senders running at once (replicas) mail each participant exactly once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.notifications import digests
from services.notifications.mail.smtp import SmtpTarget, send_due
from services.notifications.models import Base
from shared.db import make_engine
from shared.migrate import alembic_config
from tests.integration.notification_helpers import UTC, Notifications, release, session_item, workshop
from tests.integration.smtp_server import SmtpServer


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'notifications.db'}"
    return request.getfixturevalue("pg_url")


def test_migrations_go_up_down_and_up_and_match_the_models(database_url):
    config = alembic_config("notifications", database_url)
    command.upgrade(config, "head")
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


@pytest.mark.postgres
def test_concurrent_flushers_and_senders_mail_each_seat_holder_exactly_once(tmp_path, pg_url):
    notifications = Notifications(tmp_path, database_url=pg_url)
    people = 60
    for n in range(1, people + 1):
        notifications.publish("workshop.confirmed", workshop("confirmed", n=n))
    sent_before = len(notifications.deliveries())
    notifications.publish(
        "schedule.released", release(2, [session_item(starts=dt.datetime(2030, 12, 14, 15, 0, tzinfo=UTC))])
    )
    with SmtpServer() as smtp:
        target = SmtpTarget.from_url(smtp.url)
        _together(lambda: digests.flush_due(notifications.factory, notifications.config, batch=7), 2)
        _together(lambda: _drain(notifications.factory, target), 2)
    changes = notifications.deliveries(kind="schedule_change")
    assert len(changes) == people and len({d.recipient for d in changes}) == people
    assert all(d.status == "sent" for d in notifications.deliveries())
    assert len(smtp.recorder.received) == sent_before + people


def _drain(factory, target) -> None:
    while send_due(factory, target, batch=10):
        pass


def _together(action, count: int) -> None:
    errors = []

    def run():
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
