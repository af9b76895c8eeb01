"""List and replay parked messages: `python -m shared.messaging.parked
{list,replay} SERVICE [--id MESSAGE_ID ...]`; list the events a service's
relay held back unsent: `... held SERVICE`.

The parking queue is drained, the chosen messages are republished, the rest go
back to the parking queue, and only then is anything acked: an interrupted
run leaves every message where it was (or, at worst, in both places, which
the inbox absorbs)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

from kombu import Producer
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.config import SERVICES, load_settings
from shared.db import make_engine

from .connection import connect
from .consumer import wire_body
from .topology import DEAD, SUBSCRIPTIONS, dead_queue, service_queue


@dataclass
class Parked:
    message_id: str
    event_type: str
    attempts: int
    reason: str
    parked_at: str
    body: str


def _describe(message) -> Parked:
    headers = message.headers or {}
    body = message.body.decode("utf-8", "replace") if isinstance(message.body, bytes) else str(message.body)
    return Parked(
        message_id=message.properties.get("message_id") or "",
        event_type=headers.get("event_type") or "",
        attempts=int(headers.get("x-attempt", 1)),
        reason=headers.get("x-parked-reason", ""),
        parked_at=headers.get("x-parked-at", ""),
        body=body,
    )


def drain_and_route(settings, choose) -> tuple[list[Parked], list[Parked]]:
    """Take every parked message of the service; `choose(parked)` says which
    to replay. Returns (replayed, kept)."""
    replayed: list[Parked] = []
    kept: list[Parked] = []
    with connect(settings.broker_url, settings.bus_dir) as conn:
        channel = conn.channel()
        # Only the two queues used here. The service queue must exist, or a
        # replay to it through the default exchange would be dropped.
        service_queue(settings.service)(channel).declare()
        queue = dead_queue(settings.service)(channel)
        queue.declare()
        messages = []
        while (message := queue.get(no_ack=False)) is not None:
            messages.append(message)
        producer = Producer(channel)
        for message in messages:
            parked = _describe(message)
            replay = choose(parked)
            headers = dict(message.headers or {})
            if replay:
                for key in ("x-parked-reason", "x-parked-at", "x-last-error"):
                    headers.pop(key, None)
                headers["x-attempt"] = 1
            producer.publish(
                wire_body(message),
                exchange="" if replay else DEAD,
                routing_key=settings.service,
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                message_id=message.properties.get("message_id"),
                delivery_mode=2,
                retry=True,
            )
            (replayed if replay else kept).append(parked)
        for message in messages:
            message.ack()
    return replayed, kept


@dataclass
class Held:
    message_id: str
    event_type: str
    reason: str
    created_at: str
    body: str


HELD = text(
    "SELECT message_id, routing_key, held_reason, created_at, body FROM outbox "
    "WHERE held_reason IS NOT NULL ORDER BY id"
)


def held_events(settings) -> list[Held]:
    """The service's outbox events that its relay held back (their body failed
    their event's schema), oldest first. They were never sent."""
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return [
                Held(message_id, event_type, reason, str(created_at), body)
                for message_id, event_type, reason, created_at, body in connection.execute(HELD)
            ]
    finally:
        engine.dispose()


def _print_held(settings, as_json: bool) -> int:
    try:
        held = held_events(settings)
    except DBAPIError as error:
        print(
            f"cannot read the outbox of {settings.service}: {error.orig}\n"
            f"(is the database migrated? python -m shared.migrate)",
            file=sys.stderr,
        )
        return 1
    for event in held:
        if as_json:
            print(json.dumps({"state": "held", **event.__dict__}))
        else:
            print(f"held     {event.message_id} {event.event_type} {event.reason}")
    if not held:
        print(f"no held events for {settings.service}", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.messaging.parked", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "action",
        choices=("list", "replay", "held"),
        help="held: the service's outbox events its relay held back unsent",
    )
    parser.add_argument("service", choices=sorted(SERVICES))
    parser.add_argument("--id", action="append", dest="ids", help="replay only this message id (repeatable)")
    parser.add_argument("--all", action="store_true", help="replay every parked message")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args(argv)
    if args.action == "replay" and not (args.ids or args.all):
        parser.error("replay needs --id MESSAGE_ID or --all")
    settings = load_settings(args.service)
    if args.action == "held":
        return _print_held(settings, args.json)
    if args.service not in SUBSCRIPTIONS:
        parser.error(f"{args.service} consumes nothing, so it parks nothing (try: held {args.service})")
    wanted = set(args.ids or [])

    def choose(parked: Parked) -> bool:
        return args.action == "replay" and (args.all or parked.message_id in wanted)

    replayed, kept = drain_and_route(settings, choose)
    for parked in kept + replayed:
        state = "replayed" if parked in replayed else "parked"
        if args.json:
            print(json.dumps({"state": state, **parked.__dict__}))
        else:
            print(
                f"{state:8} {parked.message_id} {parked.event_type or '-'} attempts={parked.attempts} {parked.reason}"
            )
    if not kept and not replayed:
        print(f"no parked messages for {args.service}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
