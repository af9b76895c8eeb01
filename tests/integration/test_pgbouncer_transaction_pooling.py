"""The system behind PgBouncer in transaction mode (Debian's pgbouncer, in
front of the machine's PostgreSQL, a pool of a few server connections).

Registrations go through the pooler, concurrent ones on a small capacity
included (the seat gate's advisory locks are transaction-scoped: no
overbooking), the outbox relay publishes them, notifications consumes them,
and a separate sender process whose queries go through the pooler is woken
by NOTIFY on its direct LISTEN connection (NOTIFICATIONS_LISTEN_DATABASE_URL).

Controls: LISTEN through the pooler never hears the NOTIFY (the sender then
waits for its poll), and psycopg's prepared statements without
`?prepare_threshold=none` fail once consecutive transactions of a client
land on different server connections."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from kombu import Producer
from sqlalchemy import exc, func, select

from services.notifications import registrations
from services.notifications.models import Delivery, Inbox
from services.registration.models import Listing, Outbox
from shared.db import make_engine
from shared.messaging.dispatch import Verdict, dispatch
from shared.messaging.relay import relay_once
from shared.messaging.topology import EVENTS
from tests import servers
from tests.factories import participant, settings_for
from tests.integration import bus_helpers
from tests.integration.notification_helpers import Notifications, golden
from tests.integration.registration_support import REGISTER, Desk
from tests.integration.sender_process import running_sender
from tests.integration.smtp_server import SmtpServer
from tests.pgbouncer import PgBouncer
from tests.waiting import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]

ROOT = Path(__file__).resolve().parents[2]
SERVER_CONNECTIONS = 3  # PgBouncer's pool per database: far fewer than the clients
CAPACITY, RACERS = 3, 24
POLL = 30.0  # the sender's poll: a mail within seconds can only have been woken by NOTIFY
NO_PREPARE = "?prepare_threshold=none"


@pytest.fixture
def bouncer(tmp_path):
    with PgBouncer(tmp_path, pool_size=SERVER_CONNECTIONS) as bouncer:
        yield bouncer


@pytest.fixture
def notifications_url():
    url = servers.create_pg_database()
    yield url
    servers.drop_pg_database(url)


@contextlib.contextmanager
def sender_process(tmp_path: Path, *, database_url: str, listen_url: str, smtp_url: str):
    """The sender process, its queries through `database_url`, its LISTEN on `listen_url`."""
    log = tmp_path / f"sender-{time.monotonic_ns()}.log"
    with running_sender(
        log,
        NOTIFICATIONS_DATABASE_URL=database_url,
        NOTIFICATIONS_LISTEN_DATABASE_URL=listen_url,
        SMTP_URL=smtp_url,
        SENDER_POLL_SECONDS=str(POLL),
        VAR_DIR=str(tmp_path),
    ):
        yield log


def register_at_once(desk: Desk, numbers: range) -> list[int]:
    """Each number registers from its own thread and client, all released together."""
    barrier = threading.Barrier(len(numbers))
    statuses: list[int] = []

    def run(n: int) -> None:
        client = desk.app.test_client()
        barrier.wait(timeout=30)
        statuses.append(client.post(REGISTER, json=participant(n)).status_code)

    threads = [threading.Thread(target=run, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "a registration hung"
    return statuses


def test_registrations_relay_and_mail_run_through_the_pooler_and_the_sender_listens_directly(
    bouncer, pg_url, notifications_url, amqp_url, tmp_path
):
    pooled = bouncer.url(pg_url) + NO_PREPARE
    desk = Desk(settings_for("registration", tmp_path, database_url=pooled))
    desk.deliver("event.published", capacity=CAPACITY)

    # concurrent registrations on a small capacity, many clients on a few server connections
    statuses = register_at_once(desk, range(1, RACERS + 1))
    assert Counter(statuses) == {201: RACERS}, statuses
    counts = Counter(desk.statuses().values())
    assert counts == {"confirmed": CAPACITY, "waitlisted": RACERS - CAPACITY}, counts
    assert desk.listing().confirmed_count == CAPACITY, "no overbooking"
    database = pg_url.rsplit("/", 1)[1]
    servers_used = [row for row in bouncer.show("SERVERS") if row["database"] == database]
    assert 0 < len(servers_used) <= SERVER_CONNECTIONS, servers_used
    stats = next(row for row in bouncer.show("STATS") if row["database"] == database)
    assert stats["total_xact_count"] > RACERS, "the registrations' transactions went through PgBouncer"

    # the outbox relay, through the pooler, to RabbitMQ
    bus = bus_helpers.make_bus("rabbitmq", tmp_path, database_url=pooled, broker_url=amqp_url)
    events = desk.outbox()
    with bus.connection() as conn:
        producer = Producer(conn.channel(), exchange=EVENTS)
        assert relay_once(desk.factory, Outbox, producer) == len(events)
    with desk.factory() as session:
        assert session.scalar(select(func.count()).where(Outbox.published_at.is_(None))) == 0
    assert bus_helpers.queue_depth(bus, "notifications") == len(events)

    # notifications: consumer and sender through the pooler, the sender's LISTEN direct
    notifications = Notifications(tmp_path, database_url=bouncer.url(notifications_url) + NO_PREPARE)
    with SmtpServer() as smtp:
        with sender_process(
            tmp_path,
            database_url=notifications.settings.database_url,
            listen_url=notifications_url,
            smtp_url=smtp.url,
        ) as log:
            started = time.monotonic()
            for message in bus_helpers.take_all(bus, "notifications"):  # what the relay published
                outcome = dispatch(
                    message["body"],
                    consumer="notifications",
                    handlers=notifications.handlers,
                    session_factory=notifications.factory,
                    inbox_model=Inbox,
                )
                assert outcome.verdict is Verdict.APPLIED, outcome
            with notifications.factory() as session:
                queued = session.scalar(select(func.count()).select_from(Delivery))
            assert queued >= RACERS, "every registration queued a mail"
            wait_for(lambda: len(smtp.recorder.received) == queued, timeout=POLL / 2, what="mails")
            assert time.monotonic() - started < POLL / 2, log.read_text()
        # control: the same sender LISTENing through the pooler is not woken
        with sender_process(
            tmp_path,
            database_url=notifications.settings.database_url,
            listen_url=notifications.settings.database_url,
            smtp_url=smtp.url,
        ) as log:
            data = golden("registration.confirmed")  # one more mail, queued by the use case: its commit NOTIFYs
            data["participant"]["email"] = "ultimo@example.org"
            with notifications.factory() as session, session.begin():
                assert registrations.registration_changed(session, data, notifications.config)
            with notifications.factory() as session:
                assert session.scalar(select(func.count()).select_from(Delivery)) == queued + 1
            time.sleep(3)
            assert len(smtp.recorder.received) == queued, "no NOTIFY reached a LISTEN through the pooler"


def test_prepared_statements_need_to_be_off_behind_transaction_pooling(bouncer, pg_url):
    """Control: psycopg prepares a statement after 5 executions on a
    connection; PgBouncer 1.18 hands the next transaction to another server
    connection (which lacks it, or has another statement under its name)."""

    def transactions(url: str) -> None:
        engine = make_engine(url, pool_size=SERVER_CONNECTIONS + 2, max_overflow=0)
        try:
            connections = [engine.connect() for _ in range(SERVER_CONNECTIONS + 2)]
            for i in range(10):
                for connection in connections:
                    with connection.begin():
                        assert connection.scalar(select(func.cast(i, Listing.capacity.type))) == i
        finally:
            engine.dispose()

    pooled = bouncer.url(pg_url)
    transactions(pooled + NO_PREPARE)  # the fix: never prepared, any server connection will do
    with pytest.raises(exc.DBAPIError, match="prepared statement"):
        transactions(pooled)
