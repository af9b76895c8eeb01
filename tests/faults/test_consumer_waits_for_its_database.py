"""A consumer whose database goes away (PostgreSQL immediate shutdown, on
the fault suite's own cluster) parks nothing: its retries keep their
attempt number while the database cannot be reached, and the message is
applied once the database is back. Before, the restart used up every
attempt within seconds and parked valid messages (14 in the fault suite's
PostgreSQL scenario). A control shows the same outage with the database up
for the probe would park: the attempts are really limited."""

from __future__ import annotations

import time

import pytest

from shared.messaging import dispatch
from tests.integration.bus_helpers import (
    envelope,
    listings,
    make_bus,
    publish_envelope,
    queue_depth,
    running_consumer,
    verdicts,
    wait_for,
)

pytestmark = [pytest.mark.rabbitmq]

ATTEMPTS, DELAY_MS = 2, 200  # without the fix: parked after ~0.5 s of outage


def outage(pg, amqp_url, tmp_path, seconds: float = 4.0):
    bus = make_bus(
        "rabbitmq",
        tmp_path,
        database_url=pg.create_database("eventi_consumer"),
        broker_url=amqp_url,
        retry_delay_ms=DELAY_MS,
        max_delivery_attempts=ATTEMPTS,
    )
    with running_consumer(bus) as consumer:
        pg.stop("immediate")
        try:
            publish_envelope(bus, envelope())
            time.sleep(seconds)
        finally:
            pg.start()
        wait_for(lambda: listings(bus) == 1 or queue_depth(bus, "registration.dead"), timeout=30, what="an outcome")
        return bus, verdicts(consumer)


def test_a_message_waits_for_the_database_instead_of_being_parked(pg, amqp_url, tmp_path):
    bus, seen = outage(pg, amqp_url, tmp_path)
    assert listings(bus) == 1, seen
    assert queue_depth(bus, "registration.dead") == 0
    assert seen.count("retry") >= ATTEMPTS and seen[-1] == "applied"


def test_control_the_same_outage_parks_when_the_database_counts_as_up(pg, amqp_url, tmp_path, monkeypatch):
    monkeypatch.setattr(dispatch, "database_reachable", lambda factory: True)
    bus, seen = outage(pg, amqp_url, tmp_path)
    assert queue_depth(bus, "registration.dead") == 1, seen
    assert listings(bus) == 0
