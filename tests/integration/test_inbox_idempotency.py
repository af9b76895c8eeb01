"""At-least-once delivery, effects applied once: the same message delivered
twice (a relay that died between publish and commit, a redelivery after a
lost ack) goes through registration's real consumer and handler and has one
effect, on RabbitMQ + PostgreSQL and on the embedded transport."""

from __future__ import annotations

from tests.integration.bus_helpers import (
    SERVICE,
    envelope,
    inbox_rows,
    listings,
    publish_envelope,
    queue_depth,
    running_consumer,
    verdicts,
    wait_for,
)


def test_the_same_message_delivered_twice_has_one_effect(any_bus):
    env = envelope()
    publish_envelope(any_bus, env)
    publish_envelope(any_bus, env)  # same id, same body: a duplicate delivery

    with running_consumer(any_bus) as consumer:
        wait_for(lambda: len(consumer.outcomes) >= 2, what="both deliveries handled")
        wait_for(lambda: queue_depth(any_bus, SERVICE) == 0, what="queue drained")

    assert verdicts(consumer) == ["applied", "duplicate"]
    assert [d["message_id"] for d in consumer.deliveries] == [env["id"], env["id"]]
    assert listings(any_bus) == 1
    assert inbox_rows(any_bus) == [(SERVICE, env["id"])]
    assert queue_depth(any_bus, f"{SERVICE}.dead") == 0


def test_a_different_message_about_the_same_event_is_not_a_duplicate(any_bus):
    """Control: the inbox keys on the message id, not on the payload, so two
    distinct messages are both applied (the second is a newer revision)."""
    first = envelope(revision=2)
    second = envelope(revision=3, venue="Aula magna")
    publish_envelope(any_bus, first)
    publish_envelope(any_bus, second)

    with running_consumer(any_bus) as consumer:
        wait_for(lambda: len(consumer.outcomes) >= 2, what="both messages handled")

    assert verdicts(consumer) == ["applied", "applied"]
    assert sorted(inbox_rows(any_bus)) == sorted([(SERVICE, first["id"]), (SERVICE, second["id"])])
    assert listings(any_bus) == 1
