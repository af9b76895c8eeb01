"""The outbox relay: checks pending outbox rows against their event's schema
and publishes them in order, persistent, with publisher confirms and
`mandatory`, then marks them published (or held back, if invalid)."""

from __future__ import annotations

import collections
import logging
import threading

from kombu import Producer
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from shared.db import utcnow
from shared.envelope import InvalidMessage, parse_envelope

from .connection import HEARTBEAT_SECONDS, connect, is_amqp
from .topology import EVENTS, declare_all

log = logging.getLogger(__name__)

RETRY_POLICY = {"max_retries": 5, "interval_start": 0.5, "interval_step": 0.5, "interval_max": 2}


def relay_once(session_factory: sessionmaker, outbox_model, producer: Producer, batch: int = 100) -> int:
    """Publish one batch; returns how many rows it handled (published or held).
    A crash between publish and commit republishes them: the inbox absorbs
    that. A body that fails its event's schema is held back, never sent: no
    subscriber, inside or outside, receives an invalid event, and the rows it
    was written with stay committed (`held_reason` says what to fix)."""
    with session_factory() as session, session.begin():
        rows = session.scalars(
            select(outbox_model)
            .where(outbox_model.published_at.is_(None), outbox_model.held_reason.is_(None))
            .order_by(outbox_model.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            try:
                envelope = parse_envelope(row.body)
                if envelope.type != row.routing_key:
                    raise InvalidMessage(f"type {envelope.type!r} sent under routing key {row.routing_key!r}")
            except InvalidMessage as exc:
                row.held_reason = str(exc)[:2000] or "invalid"
                log.error("outbox event %s (%s) held back, not published: %s", row.message_id, row.routing_key, exc)
                continue
            producer.publish(
                row.body.encode("utf-8"),
                exchange=EVENTS,
                routing_key=row.routing_key,
                content_type="application/json",
                content_encoding="utf-8",
                message_id=row.message_id,
                delivery_mode=2,
                mandatory=True,
                headers={"event_type": row.routing_key, "schema_version": envelope.version},
                retry=True,
                retry_policy=RETRY_POLICY,
            )
            row.published_at = utcnow()
        return len(rows)


class Relay:
    """Runs relay_once in a loop until stopped; reconnects on broker errors,
    so a missing broker only delays events."""

    def __init__(
        self,
        settings,
        session_factory,
        outbox_model,
        *,
        poll_interval: float = 0.2,
        heartbeat: float = HEARTBEAT_SECONDS,
    ):
        self.settings = settings
        self.session_factory = session_factory
        self.outbox_model = outbox_model
        self.poll_interval = poll_interval
        self.heartbeat = heartbeat
        self.connections = 0  # broker connections opened so far (1 while nothing fails)
        self.stopping = threading.Event()
        self.returned: collections.deque[str] = collections.deque(maxlen=100)  # recent, for logs and tests

    def _on_return(self, exc, exchange, routing_key, message):
        # No queue is bound for this key: nobody subscribes to it (yet). The
        # event is not lost for any consumer, so log it and go on.
        self.returned.append(routing_key)
        log.warning("event %s returned unroutable: %s", routing_key, exc)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._run_connected()
            except Exception:
                log.exception("relay failed (broker or database unreachable); retrying in 2 s")
                self.stopping.wait(2)

    def _run_connected(self) -> None:
        with connect(self.settings.broker_url, self.settings.bus_dir, heartbeat=self.heartbeat) as conn:
            conn.ensure_connection(max_retries=3)
            self.connections += 1
            channel = conn.channel()
            declare_all(channel, is_amqp=is_amqp(conn))
            # Only AMQP reports unroutable messages (basic.return); virtual transports cannot.
            on_return = self._on_return if is_amqp(conn) else None
            producer = Producer(channel, exchange=EVENTS, on_return=on_return)
            while not self.stopping.is_set():
                sent = relay_once(self.session_factory, self.outbox_model, producer)
                if is_amqp(conn):
                    conn.heartbeat_check()
                if not sent:
                    self._idle(conn)

    def _idle(self, conn) -> None:
        """Wait for the next poll. On AMQP the wait reads the socket: the
        broker's heartbeats (and any basic.return) count as received only
        once read, and heartbeat_check() alone never reads. A relay that
        only slept saw none while idle and dropped its connection after two
        heartbeat intervals ("Too many heartbeats missed", every ~62 s)."""
        if not is_amqp(conn):
            self.stopping.wait(self.poll_interval)
            return
        try:
            conn.drain_events(timeout=self.poll_interval)
        except TimeoutError:
            pass  # nothing arrived: the usual case

    def stop(self) -> None:
        self.stopping.set()
