"""The one place that declares exchanges and queues (docs/architecture.md,
"The bus"). Everyone declares the same objects with the same arguments, so a
redeclaration is never a 406."""

from __future__ import annotations

from kombu import Exchange, Queue, binding

EVENTS = Exchange("events", type="topic", durable=True)
RETRY = Exchange("events.retry", type="direct", durable=True)
DEAD = Exchange("events.dead", type="direct", durable=True)

# Routing keys each consuming service is bound to. Scheduling consumes nothing.
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "registration": ("event.*", "schedule.*", "participant.*", "certificate.issued"),
    "notifications": (
        "event.*",
        "schedule.*",
        "registration.*",
        "attendance.*",
        "participant.*",
        "workshop.*",
        "organisation.*",
        "certificate.revoked",
        "survey.*",
        "record.*",
    ),
}


# A message redelivered this often (a consumer process dying on it, not an
# exception, which the consumer retries itself) is dead-lettered to parking.
DELIVERY_LIMIT = 20


def service_queue(service: str) -> Queue:
    return Queue(
        service,
        durable=True,
        bindings=[binding(EVENTS, routing_key=key) for key in SUBSCRIPTIONS[service]],
        queue_arguments={
            "x-queue-type": "quorum",
            "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": DEAD.name,
            "x-dead-letter-routing-key": service,
        },
    )


def retry_queue(service: str) -> Queue:
    """Holds retry copies until their per-message TTL (`expiration`) runs out.
    The delay is per message, not a queue argument, so processes configured
    with different delays never redeclare the queue differently (a 406).
    Expired copies go through the default exchange straight back to the
    service's own queue, never through `events` (that would reach everyone)."""
    return Queue(
        f"{service}.retry",
        exchange=RETRY,
        routing_key=service,
        durable=True,
        queue_arguments={"x-queue-type": "quorum", "x-dead-letter-exchange": "", "x-dead-letter-routing-key": service},
    )


def dead_queue(service: str) -> Queue:
    return Queue(
        f"{service}.dead", exchange=DEAD, routing_key=service, durable=True, queue_arguments={"x-queue-type": "quorum"}
    )


def declare_all(channel, *, is_amqp: bool) -> None:
    """Declare every exchange and queue of every service. Called by each
    worker and the relay on connect, so no event is published before the
    queues that must receive it exist."""
    for exchange in (EVENTS, RETRY, DEAD):
        exchange(channel).declare()
    for service in SUBSCRIPTIONS:
        service_queue(service)(channel).declare()
        dead_queue(service)(channel).declare()
        if is_amqp:  # virtual transports have no TTL: retries go straight back
            retry_queue(service)(channel).declare()
