"""A consumer killed with SIGKILL while it holds an unacked message loses
nothing on RabbitMQ: the broker takes the message back and the next consumer
applies it exactly once (the killed one's database transaction, inbox claim
included, died with it). A control with a consumer that acks before handling
shows that the same kill does lose the message, so this test can see a loss.

RabbitMQ only: the embedded transport loses an in-flight message on kill -9
(documented in docs/operations.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.bus_helpers import (
    SERVICE,
    envelope,
    inbox_rows,
    listings,
    publish_envelope,
    queue_depth,
    running_consumer,
    unacked_in_vhost,
    verdicts,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres]


@pytest.fixture
def worker(rabbit_bus, tmp_path):
    """Start tests/integration/bus_worker.py in a subprocess; always reaped."""
    started: list[subprocess.Popen] = []

    def start(mode: str, marker: Path) -> subprocess.Popen:
        settings = rabbit_bus.settings
        env = {
            **os.environ,
            "TEST_BUS_VAR_DIR": str(tmp_path),
            "TEST_BUS_DATABASE_URL": settings.database_url,
            "TEST_BUS_BROKER_URL": settings.broker_url,
            "TEST_BUS_RETRY_DELAY_MS": str(settings.retry_delay_ms),
            "TEST_BUS_MAX_ATTEMPTS": str(settings.max_delivery_attempts),
        }
        log = open(tmp_path / f"worker-{mode}.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.bus_worker", mode, str(marker)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def kill_while_holding_the_message(rabbit_bus, process, marker: Path, *, unacked: int) -> str:
    """Wait until the worker's handler is running, check what the broker
    holds for it, SIGKILL it, and return the id the handler was working on."""
    wait_for(lambda: marker.exists() and marker.read_text(), what="the worker's handler to start", timeout=60)
    assert process.poll() is None, "the worker is still running"
    # What the broker says while the handler blocks: 0 ready, `unacked` held by the worker.
    wait_for(
        lambda: queue_depth(rabbit_bus, SERVICE) == 0 and unacked_in_vhost(rabbit_bus.vhost) == unacked,
        what=f"the broker to show 0 ready / {unacked} unacked",
    )
    assert listings(rabbit_bus) == 0 and inbox_rows(rabbit_bus) == [], "nothing committed yet"
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL
    return marker.read_text()


def test_a_consumer_killed_mid_message_loses_nothing(rabbit_bus, worker, tmp_path):
    env = envelope()
    publish_envelope(rabbit_bus, env)
    marker = tmp_path / "handling"
    process = worker("ack-after", marker)

    assert kill_while_holding_the_message(rabbit_bus, process, marker, unacked=1) == env["id"]
    # The broker noticed the dead connection and took the message back.
    wait_for(lambda: queue_depth(rabbit_bus, SERVICE) == 1, what="the message back in the queue")
    assert unacked_in_vhost(rabbit_bus.vhost) == 0

    with running_consumer(rabbit_bus) as consumer:
        wait_for(lambda: listings(rabbit_bus) == 1, what="the redelivered message applied")
        wait_for(lambda: queue_depth(rabbit_bus, SERVICE) == 0, what="queue drained")

    assert verdicts(consumer) == ["applied"]
    [delivery] = consumer.deliveries
    assert delivery["message_id"] == env["id"] and delivery["redelivered"]
    assert inbox_rows(rabbit_bus) == [(SERVICE, env["id"])], "applied exactly once"


def test_the_kill_test_sees_a_loss_when_a_consumer_acks_before_handling(rabbit_bus, worker, tmp_path):
    """Control: the same kill against a consumer that acks first loses the message."""
    lost = envelope()
    publish_envelope(rabbit_bus, lost)
    marker = tmp_path / "handling"
    process = worker("ack-first", marker)

    assert kill_while_holding_the_message(rabbit_bus, process, marker, unacked=0) == lost["id"]

    # A message published after the lost one is applied; the lost one never comes back.
    sentinel = envelope(event_id="7b0f3c9e-1111-4a4a-9c9c-00000000000f", slug="sentinel")
    publish_envelope(rabbit_bus, sentinel)
    with running_consumer(rabbit_bus) as consumer:
        wait_for(lambda: listings(rabbit_bus) == 1, what="the sentinel applied")
        wait_for(lambda: queue_depth(rabbit_bus, SERVICE) == 0, what="queue drained")

    assert [d["message_id"] for d in consumer.deliveries] == [sentinel["id"]]
    assert inbox_rows(rabbit_bus) == [(SERVICE, sentinel["id"])], "the acked-first message is lost"
