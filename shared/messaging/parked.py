"""List and replay parked messages: `python -m shared.messaging.parked
{list,replay} SERVICE [--id MESSAGE_ID ...]`.

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

from shared.config import load_settings

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
    return Parked(message_id=message.properties.get("message_id") or "",
                  event_type=headers.get("event_type") or "", attempts=int(headers.get("x-attempt", 1)),
                  reason=headers.get("x-parked-reason", ""), parked_at=headers.get("x-parked-at", ""),
                  body=body)


def drain_and_route(settings, choose) -> tuple[list[Parked], list[Parked]]:
    """Take every parked message of the service; `choose(parked)` says which
    to replay. Returns (replayed, kept)."""
    replayed, kept = [], []
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
            producer.publish(wire_body(message), exchange="" if replay else DEAD,
                             routing_key=settings.service, headers=headers,
                             content_type=message.content_type,
                             content_encoding=message.content_encoding,
                             message_id=message.properties.get("message_id"),
                             delivery_mode=2, retry=True)
            (replayed if replay else kept).append(parked)
        for message in messages:
            message.ack()
    return replayed, kept


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.messaging.parked", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("list", "replay"))
    parser.add_argument("service", choices=sorted(SUBSCRIPTIONS))
    parser.add_argument("--id", action="append", dest="ids", help="replay only this message id (repeatable)")
    parser.add_argument("--all", action="store_true", help="replay every parked message")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args(argv)
    if args.action == "replay" and not (args.ids or args.all):
        parser.error("replay needs --id MESSAGE_ID or --all")
    settings = load_settings(args.service)
    wanted = set(args.ids or [])

    def choose(parked: Parked) -> bool:
        return args.action == "replay" and (args.all or parked.message_id in wanted)

    replayed, kept = drain_and_route(settings, choose)
    for parked in kept + replayed:
        state = "replayed" if parked in replayed else "parked"
        if args.json:
            print(json.dumps({"state": state, **parked.__dict__}))
        else:
            print(f"{state:8} {parked.message_id} {parked.event_type or '-'} "
                  f"attempts={parked.attempts} {parked.reason}")
    if not kept and not replayed:
        print(f"no parked messages for {args.service}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
