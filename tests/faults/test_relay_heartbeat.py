"""An idle relay keeps its broker connection: it reads the broker's
heartbeats while it waits for outbox rows. Before, it only slept between
polls, so py-amqp never counted a heartbeat as received and the relay
dropped its connection after two intervals ("Too many heartbeats missed",
every ~62 s with the 30 s heartbeat), on the real RabbitMQ."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from services.registration.models import Outbox
from shared.messaging import add_event
from shared.messaging.relay import Relay
from tests.factories import event_data
from tests.integration.bus_helpers import make_bus, wait_for

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres]

HEARTBEAT = 2.0  # seconds; py-amqp gives up after 2 intervals without a received frame
IDLE = 3 * HEARTBEAT + 1


def published(bus) -> int:
    with bus.factory() as session:
        return sum(1 for row in session.query(Outbox) if row.published_at is not None)


def test_an_idle_relay_keeps_its_connection_for_more_than_two_heartbeat_intervals(pg_url, amqp_url, tmp_path, caplog):
    bus = make_bus("rabbitmq", tmp_path, database_url=pg_url, broker_url=amqp_url)
    relay = Relay(bus.settings, bus.factory, Outbox, poll_interval=0.2, heartbeat=HEARTBEAT)
    thread = threading.Thread(target=relay.run, name="idle-relay", daemon=True)
    caplog.set_level(logging.INFO, logger="shared.messaging.relay")
    thread.start()
    try:
        wait_for(lambda: relay.connections == 1, what="the relay to connect")
        time.sleep(IDLE)  # nothing in the outbox: the relay idles
        assert relay.connections == 1, f"the relay reconnected while idle:\n{caplog.text}"
        assert "relay failed" not in caplog.text

        # And the one connection still publishes.
        with bus.factory() as session, session.begin():
            add_event(session, "event.published", event_data(revision=2))
        wait_for(lambda: published(bus) == 1, what="the relay to publish after idling")
        assert relay.connections == 1
    finally:
        relay.stop()
        thread.join(timeout=20)
    assert not thread.is_alive()
