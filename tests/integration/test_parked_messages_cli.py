"""The operator's parking-lot CLI, run as a real subprocess:
`python -m shared.messaging.parked list|replay registration [--id ID]`.
`list` shows parked messages and leaves them parked; `replay --id` sends that
one back to the service queue, where the consumer applies it, and the others
stay parked. On RabbitMQ and on the embedded transport."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.messaging.dispatch import PermanentFailure
from tests.integration.bus_helpers import (
    SERVICE,
    envelope,
    inbox_rows,
    listings,
    publish_envelope,
    queue_depth,
    running_consumer,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
DEAD = f"{SERVICE}.dead"


def parked_cli(bus, *args: str, json_lines: bool = True, same_retry_delay: bool = True):
    settings = bus.settings
    env = {
        **os.environ,
        "BROKER_URL": settings.broker_url,
        "VAR_DIR": str(settings.var_dir),
        "MAX_DELIVERY_ATTEMPTS": str(settings.max_delivery_attempts),
    }
    env.pop("RETRY_DELAY_MS", None)
    if same_retry_delay:
        env["RETRY_DELAY_MS"] = str(settings.retry_delay_ms)
    command = [sys.executable, "-m", "shared.messaging.parked", *args, *(["--json"] if json_lines else [])]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    if not json_lines:
        return result.stdout
    return {line["message_id"]: line for line in map(json.loads, result.stdout.splitlines())}


def needs_an_operator(session, data, envelope):
    raise PermanentFailure(f"listing {data['slug']} needs an operator")


def park_three(bus) -> list[dict]:
    envelopes = [envelope(event_id=f"7b0f3c9e-1111-4a4a-9c9c-00000000002{n}", slug=f"parked-{n}") for n in range(3)]
    for env in envelopes:
        publish_envelope(bus, env)
    with running_consumer(bus, handlers={"event.published": needs_an_operator}):
        wait_for(lambda: queue_depth(bus, DEAD) == 3, what="three messages parked")
    assert listings(bus) == 0
    return envelopes


def test_list_shows_parked_messages_and_leaves_them_parked(any_bus):
    envelopes = park_three(any_bus)

    listed = parked_cli(any_bus, "list", SERVICE)
    assert sorted(listed) == sorted(env["id"] for env in envelopes)
    for env in envelopes:
        line = listed[env["id"]]
        assert line["state"] == "parked"
        assert line["event_type"] == "event.published"
        assert f"listing {env['data']['slug']} needs an operator" in line["reason"]
        assert json.loads(line["body"])["id"] == env["id"]
    human = parked_cli(any_bus, "list", SERVICE, json_lines=False)
    assert all(f"parked   {env['id']} event.published" in human for env in envelopes), human

    assert queue_depth(any_bus, DEAD) == 3, "listing twice moved nothing"
    assert queue_depth(any_bus, SERVICE) == 0


def test_replay_one_id_sends_only_that_message_back_and_it_is_consumed(any_bus):
    envelopes = park_three(any_bus)
    chosen, *others = envelopes

    replayed = parked_cli(any_bus, "replay", SERVICE, "--id", chosen["id"])
    assert replayed[chosen["id"]]["state"] == "replayed"
    assert {replayed[env["id"]]["state"] for env in others} == {"parked"}
    assert queue_depth(any_bus, DEAD) == 2
    assert queue_depth(any_bus, SERVICE) == 1

    with running_consumer(any_bus) as consumer:  # the real handler this time
        wait_for(lambda: listings(any_bus) == 1, what="the replayed message applied")
        wait_for(lambda: queue_depth(any_bus, SERVICE) == 0, what="queue drained")

    assert [d["message_id"] for d in consumer.deliveries] == [chosen["id"]]
    assert consumer.deliveries[0]["attempt"] == 1, "a replay starts with fresh attempts"
    assert inbox_rows(any_bus) == [(SERVICE, chosen["id"])]
    assert sorted(parked_cli(any_bus, "list", SERVICE)) == sorted(env["id"] for env in others)
    assert queue_depth(any_bus, DEAD) == 2


@pytest.mark.rabbitmq
@pytest.mark.postgres
def test_the_cli_works_whatever_retry_delay_the_operators_shell_has(rabbit_bus):
    """The workers declared registration.retry with a 200 ms TTL; an operator
    whose shell lacks RETRY_DELAY_MS (default 2000) must still be able to list
    and replay: the CLI declares nothing whose arguments come from settings,
    or RabbitMQ answers 406 PRECONDITION_FAILED and the CLI dies."""
    assert rabbit_bus.settings.retry_delay_ms != 2000
    envelopes = park_three(rabbit_bus)

    listed = parked_cli(rabbit_bus, "list", SERVICE, same_retry_delay=False)
    assert sorted(listed) == sorted(env["id"] for env in envelopes)
    replayed = parked_cli(rabbit_bus, "replay", SERVICE, "--all", same_retry_delay=False)
    assert {line["state"] for line in replayed.values()} == {"replayed"}
    assert queue_depth(rabbit_bus, DEAD) == 0
    assert queue_depth(rabbit_bus, SERVICE) == 3
