"""Transactional outbox + relay on RabbitMQ and PostgreSQL: committed events
are published persistent, with confirms and the documented AMQP properties;
a rolled-back transaction publishes nothing (no phantom event); a broker that
cannot be reached only delays events, it never loses them.

Messages are read back with pika, an independent client, the way an outside
subscriber would see them."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pika
import pytest
from kombu import Producer
from sqlalchemy import select

from services.registration.models import Outbox
from shared.messaging import add_event
from shared.messaging.relay import Relay, relay_once
from shared.messaging.topology import EVENTS, declare_all
from tests import servers
from tests.factories import event_data
from tests.integration.bus_helpers import SERVICE, BrokerGate, Bus, queue_depth, wait_for

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


class Observer:
    """An exclusive server-named queue bound to every key of `events`, read with pika."""

    def __init__(self, amqp_url: str):
        self.connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        self.channel = self.connection.channel()
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, EVENTS.name, routing_key="#")

    def take(self) -> list[tuple]:
        taken = []
        while True:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                return taken
            taken.append((properties, body))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.close()


@pytest.fixture
def observer(rabbit_bus):
    observer = Observer(rabbit_bus.settings.broker_url)
    yield observer
    observer.close()


@contextlib.contextmanager
def relay_producer(bus, returned: list, *, declare: bool = True):
    """The producer the Relay builds: confirms, and a basic.return handler."""
    with bus.connection() as conn:
        channel = conn.channel()
        if declare:
            declare_all(channel, is_amqp=True)
        yield Producer(
            channel,
            exchange=EVENTS,
            on_return=lambda exc, exchange, routing_key, message: returned.append((routing_key, str(exc))),
        )


def outbox_rows(bus) -> dict[str, object]:
    with bus.factory() as session:
        return {row.message_id: row for row in session.scalars(select(Outbox).order_by(Outbox.id))}


def test_committed_events_are_published_with_confirms_and_rolled_back_ones_never(rabbit_bus, observer):
    factory = rabbit_bus.factory
    with factory() as session, session.begin():
        published = add_event(session, "event.published", event_data())
        updated = add_event(session, "event.updated", event_data(revision=3, venue="Aula magna"))
    with pytest.raises(RuntimeError), factory() as session, session.begin():
        phantom = add_event(session, "event.published", event_data(slug="phantom"))
        raise RuntimeError("the business rule failed after the event was written")

    rows = outbox_rows(rabbit_bus)
    assert list(rows) == [published, updated], "the rolled-back event never reached the outbox"
    assert all(row.published_at is None for row in rows.values())
    assert observer.take() == [], "nothing is sent before the relay runs"

    returned: list = []
    with relay_producer(rabbit_bus, returned) as producer:
        assert relay_once(factory, Outbox, producer) == 2
        assert relay_once(factory, Outbox, producer) == 0, "published rows are not sent again"

    messages = observer.take()
    assert [properties.message_id for properties, _body in messages] == [published, updated], "outbox order"
    for (properties, body), (message_id, row) in zip(messages, outbox_rows(rabbit_bus).items(), strict=True):
        envelope = json.loads(body)
        assert properties.content_type == "application/json"
        assert properties.content_encoding == "utf-8"
        assert properties.delivery_mode == 2, "persistent"
        assert properties.message_id == envelope["id"] == message_id
        assert properties.headers == {"event_type": envelope["type"], "schema_version": envelope["version"]}
        assert body.decode() == row.body, "the exact JSON stored in the outbox is what goes on the wire"
        assert envelope["producer"] == SERVICE
        assert row.published_at is not None
    assert phantom not in {properties.message_id for properties, _body in messages}
    assert returned == []
    # Both consuming services' own queues got each event once.
    assert queue_depth(rabbit_bus, "registration") == 2
    assert queue_depth(rabbit_bus, "notifications") == 2


@pytest.mark.unchecked_events
def test_an_event_that_fails_its_schema_is_held_back_and_the_others_go_out(rabbit_bus, observer):
    """The outbox writes events unchecked; the relay checks each body and never
    sends an invalid one. The transaction that wrote it stays committed, the
    row says why it was held, and later events are not blocked behind it."""
    factory = rabbit_bus.factory
    with factory() as session, session.begin():
        before = add_event(session, "event.published", event_data())
        bad = add_event(session, "event.updated", event_data(timezone="Mars/Olympus"))
        after = add_event(session, "event.updated", event_data(revision=3))

    returned: list = []
    with relay_producer(rabbit_bus, returned) as producer:
        assert relay_once(factory, Outbox, producer) == 3
        assert relay_once(factory, Outbox, producer) == 0, "a held row is not tried again and again"

    assert [properties.message_id for properties, _body in observer.take()] == [before, after]
    rows = outbox_rows(rabbit_bus)
    assert rows[bad].published_at is None and "timezone" in rows[bad].held_reason
    assert rows[before].held_reason is None and rows[after].published_at is not None

    # The operator finds it with the parked-messages CLI.
    env = {
        **os.environ,
        f"{SERVICE.upper()}_DATABASE_URL": rabbit_bus.settings.database_url,
        "VAR_DIR": str(rabbit_bus.settings.var_dir),
    }
    listed = subprocess.run(
        [sys.executable, "-m", "shared.messaging.parked", "held", SERVICE, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    (line,) = [json.loads(text) for text in listed.splitlines()]
    assert (line["state"], line["message_id"], line["event_type"]) == ("held", bad, "event.updated")
    assert "timezone" in line["reason"] and json.loads(line["body"])["id"] == bad


def test_an_unroutable_event_is_reported_by_the_broker_not_silently_dropped(rabbit_bus):
    """mandatory + on_return: with no queue bound (a vhost where only the
    exchange exists) the broker returns the message and the relay hears it."""
    bare_url = servers.create_vhost()
    try:
        bare = Bus(rabbit_bus.kind, rabbit_bus.settings.with_overrides(broker_url=bare_url), rabbit_bus.factory)
        with bare.connection() as conn:
            EVENTS(conn.channel()).declare()
        with rabbit_bus.factory() as session, session.begin():
            message_id = add_event(session, "event.published", event_data())
        returned: list = []
        with relay_producer(bare, returned, declare=False) as producer:
            assert relay_once(rabbit_bus.factory, Outbox, producer) == 1
    finally:
        servers.delete_vhost(bare_url)
    assert len(returned) == 1
    routing_key, error = returned[0]
    assert routing_key == "event.published" and "NO_ROUTE" in error
    # By design the relay logs it and goes on: nobody subscribes to that key.
    assert outbox_rows(rabbit_bus)[message_id].published_at is not None


def test_an_unreachable_broker_only_delays_events(rabbit_bus, observer):
    gate = BrokerGate()  # the broker's URL does not answer until the gate opens
    settings = rabbit_bus.settings.with_overrides(broker_url=gate.url(rabbit_bus.settings.broker_url))
    with rabbit_bus.factory() as session, session.begin():
        ids = [add_event(session, "event.published", event_data(revision=n)) for n in (2, 3, 4)]

    relay = Relay(settings, rabbit_bus.factory, Outbox, poll_interval=0.05)
    thread = threading.Thread(target=relay.run, name="test-relay", daemon=True)
    thread.start()
    try:
        wait_for(lambda: gate.refused >= 1, what="the relay to try the unreachable broker")
        assert thread.is_alive(), "the relay survives a missing broker"
        assert all(row.published_at is None for row in outbox_rows(rabbit_bus).values()), "rows kept"
        assert observer.take() == []

        gate.open()  # the same URL starts to work
        wait_for(
            lambda: all(row.published_at for row in outbox_rows(rabbit_bus).values()),
            what="the relay to publish once the broker is reachable",
        )
    finally:
        relay.stop()
        thread.join(timeout=20)
        gate.close()
    assert not thread.is_alive(), "relay did not stop"
    assert [properties.message_id for properties, _body in observer.take()] == ids, "each once, in order"
