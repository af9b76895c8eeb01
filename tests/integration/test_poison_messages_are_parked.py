"""Poison messages never kill the consumer and are never silently acked:
they are parked in `registration.dead` and the next good message is applied.
A handler that keeps failing is retried with a rising `x-attempt` (through the
TTL retry queue on RabbitMQ) and parked after max_delivery_attempts; a handler
that fails once is applied exactly once. Each runs on RabbitMQ + PostgreSQL
and on the embedded transport (filesystem:// + SQLite)."""

from __future__ import annotations

import json

from services.registration.listings import apply_event
from tests.integration.bus_helpers import (
    SERVICE,
    envelope,
    inbox_rows,
    listings,
    publish_envelope,
    publish_raw,
    queue_depth,
    running_consumer,
    take_all,
    verdicts,
    wait_for,
)

DEAD = f"{SERVICE}.dead"


def poison_messages() -> list[tuple[str, dict]]:
    """(label, publish_raw keyword arguments) for each kind of poison."""
    valid = envelope()
    invalid_schema = envelope()
    invalid_schema["data"]["capacity"] = "lots"  # valid JSON, valid envelope, data breaks the schema
    unknown_type = {**envelope(), "type": "event.exploded"}
    unknown_version = {**envelope(), "version": 99}
    no_content_type = {"ct": "None"}  # kombu hands this to the handler as a str, not a dict
    return [
        ("not JSON", dict(body=b"\x00not json{", message_id="poison-not-json")),
        ("not UTF-8", dict(body=b"\xff\xfe{}", message_id="poison-not-utf8")),
        (
            "JSON without content_type",
            dict(body=json.dumps(no_content_type).encode(), content_type=None, message_id="poison-no-content-type"),
        ),
        (
            "envelope without content_type, bad data",
            dict(
                body=json.dumps({**valid, "data": {"event_id": "x"}}).encode(),
                content_type=None,
                message_id="poison-no-content-type-envelope",
            ),
        ),
        (
            "text/plain is not accepted",
            dict(body=json.dumps(valid).encode(), content_type="text/plain", message_id="poison-text-plain"),
        ),
        ("invalid schema", dict(body=json.dumps(invalid_schema).encode(), message_id="poison-invalid-schema")),
        (
            "unknown event type",
            dict(
                body=json.dumps(unknown_type).encode(), routing_key="event.exploded", message_id="poison-unknown-type"
            ),
        ),
        ("unknown version", dict(body=json.dumps(unknown_version).encode(), message_id="poison-unknown-version")),
    ]


def test_poison_messages_are_parked_and_the_consumer_keeps_consuming(any_bus):
    poisons = poison_messages()
    for _label, kwargs in poisons:
        publish_raw(any_bus, **kwargs)
    # Behind the poison (FIFO on RabbitMQ; the filesystem transport orders by
    # millisecond only, so there it may come first: hence the second one below).
    before = envelope(event_id="7b0f3c9e-1111-4a4a-9c9c-00000000000a", slug="before")
    publish_envelope(any_bus, before)

    with running_consumer(any_bus) as consumer:
        wait_for(lambda: queue_depth(any_bus, DEAD) == len(poisons), what="every poison message parked")
        wait_for(lambda: listings(any_bus) == 1, what="the good message among the poison applied")
        # The consumer survived all of it and still takes new messages.
        after = envelope(event_id="7b0f3c9e-1111-4a4a-9c9c-00000000000b", slug="after")
        publish_envelope(any_bus, after)
        wait_for(lambda: listings(any_bus) == 2, what="a good message published after the poison applied")
        assert queue_depth(any_bus, SERVICE) == 0

    assert sorted(inbox_rows(any_bus)) == sorted([(SERVICE, before["id"]), (SERVICE, after["id"])])
    assert sorted(verdicts(consumer)) == sorted(["applied"] * 2 + ["park"] * (len(poisons) - 3)), (
        "the three undecodable ones are parked before dispatch"
    )
    assert queue_depth(any_bus, DEAD) == len(poisons), "nothing left the parking queue"
    parked = {message["message_id"]: message for message in take_all(any_bus, DEAD)}
    assert sorted(parked) == sorted(kwargs["message_id"] for _label, kwargs in poisons)
    for _label, kwargs in poisons:
        message = parked[kwargs["message_id"]]
        assert message["body"] == kwargs["body"], "parked with its exact bytes, so it can be replayed"
        assert message["headers"]["x-parked-reason"], "the operator sees why"
        assert message["headers"]["x-attempt"] == 1, "poison is parked at once, not retried"
    assert "undecodable" in parked["poison-not-json"]["headers"]["x-parked-reason"]
    assert "unknown event" in parked["poison-unknown-type"]["headers"]["x-parked-reason"]
    assert "version 99" in parked["poison-unknown-version"]["headers"]["x-parked-reason"]
    assert "capacity" in parked["poison-invalid-schema"]["headers"]["x-parked-reason"]


def always_failing(session, data, envelope):
    raise RuntimeError("the database of a partner is down")


def test_a_handler_that_always_fails_is_retried_then_parked(any_bus):
    attempts = any_bus.settings.max_delivery_attempts
    env = envelope()
    publish_envelope(any_bus, env)

    with running_consumer(any_bus, handlers={"event.published": always_failing}) as consumer:
        wait_for(lambda: queue_depth(any_bus, DEAD) == 1, what="the failing message parked")
        assert queue_depth(any_bus, SERVICE) == 0

    assert verdicts(consumer) == ["retry"] * attempts
    deliveries = consumer.deliveries
    assert [d["attempt"] for d in deliveries] == list(range(1, attempts + 1))
    if any_bus.amqp:
        # Each retry went through registration.retry and expired back (TTL), not straight back.
        assert deliveries[0]["death_queues"] == []
        for delivery in deliveries[1:]:
            assert "registration.retry" in delivery["death_queues"]
        gaps = [later["at"] - earlier["at"] for earlier, later in zip(deliveries, deliveries[1:], strict=False)]
        assert min(gaps) >= any_bus.settings.retry_delay_ms / 1000 * 0.9, gaps
    assert listings(any_bus) == 0
    assert inbox_rows(any_bus) == [], "a failed attempt leaves no inbox row"
    [parked] = take_all(any_bus, DEAD)
    assert parked["message_id"] == env["id"]
    assert parked["headers"]["x-attempt"] == attempts
    assert f"gave up after {attempts} attempts" in parked["headers"]["x-parked-reason"]
    assert "partner is down" in parked["headers"]["x-parked-reason"]


def test_a_handler_that_fails_once_then_succeeds_is_applied_exactly_once(any_bus):
    """Control for the test above: retrying works, and a failed attempt's
    effects and inbox claim are rolled back, so the success applies once."""
    failures = 1
    calls = []

    def flaky(session, data, envelope):
        calls.append(envelope.id)
        apply_event(session, data, base_url=any_bus.settings.public_base_url)  # rolled back with the failure
        if len(calls) <= failures:
            raise RuntimeError("transient")

    env = envelope()
    publish_envelope(any_bus, env)
    with running_consumer(any_bus, handlers={"event.published": flaky}) as consumer:
        wait_for(lambda: len(consumer.outcomes) == failures + 1, what="retry then success")
        wait_for(lambda: queue_depth(any_bus, SERVICE) == 0, what="queue drained")

    assert verdicts(consumer) == ["retry"] * failures + ["applied"]
    assert [d["attempt"] for d in consumer.deliveries] == list(range(1, failures + 2))
    assert calls == [env["id"]] * (failures + 1)
    assert listings(any_bus) == 1
    assert inbox_rows(any_bus) == [(SERVICE, env["id"])]
    assert queue_depth(any_bus, DEAD) == 0


def test_a_valid_message_without_content_type_keeps_its_body_through_a_retry(any_bus):
    """An outside producer may send a valid envelope with content_encoding but
    no content_type: kombu hands the handler a str and the schema validates
    it. When the handler fails once, the retry copy must carry the same bytes
    and an accepted content type, not come back as text/plain and be parked
    as undecodable (py-amqp decodes such a body to str, and kombu labels a
    republished str `text/plain`, which accept=["json"] refuses)."""
    calls = []

    def fails_once(session, data, envelope):
        calls.append(envelope.id)
        if len(calls) == 1:
            raise RuntimeError("transient")
        apply_event(session, data, base_url=any_bus.settings.public_base_url)

    env = envelope()
    publish_raw(any_bus, json.dumps(env).encode(), content_type=None, content_encoding="utf-8", message_id=env["id"])
    with running_consumer(any_bus, handlers={"event.published": fails_once}) as consumer:
        wait_for(lambda: len(consumer.outcomes) == 2, what="retry then success")

    assert verdicts(consumer) == ["retry", "applied"]
    assert calls == [env["id"], env["id"]]
    assert inbox_rows(any_bus) == [(SERVICE, env["id"])]
    assert queue_depth(any_bus, DEAD) == 0
