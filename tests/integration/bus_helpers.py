"""Helpers for the event-bus reliability tests: a bus (settings + migrated
registration database) on RabbitMQ + PostgreSQL or on the embedded transport
(filesystem:// + SQLite), raw publishing, queue inspection, a consumer in a
thread, a TCP gate that makes the broker unreachable on demand, and polling
with deadlines (no bare sleeps)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kombu import Producer
from kombu.transport import filesystem
from kombu.transport.virtual import BrokerState
from sqlalchemy import func, select

from services.registration.config import load_config
from services.registration.models import Inbox, Listing
from services.registration.worker.handlers import handlers_for
from shared.envelope import build_envelope
from shared.messaging.connection import connect, is_amqp
from shared.messaging.consumer import EventConsumer
from shared.messaging.topology import EVENTS, declare_all
from tests import waiting
from tests.factories import event_data, migrated_factory, settings_for

SERVICE = "registration"
DEADLINE = 30.0  # seconds: generous, only reached when something is broken


def wait_for(predicate, *, timeout: float = DEADLINE, interval: float = 0.05, what: str = "condition"):
    return waiting.wait_for(predicate, timeout=timeout, interval=interval, what=what)


@dataclass
class Bus:
    """One service's view of the bus: settings, session factory, transport."""

    kind: str  # "rabbitmq" or "embedded"
    settings: object
    factory: object
    vhost: str | None = None

    @property
    def amqp(self) -> bool:
        return self.kind == "rabbitmq"

    def connection(self):
        return connect(self.settings.broker_url, self.settings.bus_dir)


def make_bus(
    kind: str,
    tmp_path: Path,
    *,
    database_url: str | None = None,
    broker_url: str | None = None,
    retry_delay_ms: int = 200,
    max_delivery_attempts: int = 3,
) -> Bus:
    if kind == "embedded":
        fresh_filesystem_state()
    settings = settings_for(
        SERVICE,
        tmp_path,
        database_url=database_url,
        broker_url=broker_url,
        retry_delay_ms=retry_delay_ms,
        max_delivery_attempts=max_delivery_attempts,
    )
    factory = migrated_factory(SERVICE, settings)
    vhost = broker_url.rsplit("/", 1)[1] if broker_url and broker_url.startswith("amqp") else None
    bus = Bus(kind, settings, factory, vhost)
    declare_topology(bus)  # queues exist before anything is published
    return bus


def fresh_filesystem_state() -> None:
    """kombu's filesystem transport keeps bindings in one process-wide state
    and writes a binding to the control folder only when that state has not
    seen it yet. A second bus directory in the same process would therefore
    never get its `events.exchange` routing table and every publish to
    `events` would silently go nowhere. Give each embedded bus a fresh state,
    as a fresh process would have."""
    filesystem.Transport.global_state = BrokerState()


def declare_topology(bus: Bus) -> None:
    with bus.connection() as conn:
        declare_all(conn.channel(), is_amqp=is_amqp(conn))


# -- publishing -------------------------------------------------------------


def envelope(**data_overrides) -> dict:
    """A valid event.published envelope, as scheduling would send it."""
    return build_envelope("event.published", event_data(**data_overrides), producer="scheduling")


def publish_raw(
    bus: Bus,
    body: bytes,
    *,
    routing_key: str = "event.published",
    content_type: str | None = "application/json",
    content_encoding: str | None = None,
    message_id: str | None = None,
    headers: dict | None = None,
) -> None:
    """Publish exactly these bytes to `events`, below kombu's serializer, so
    a message can lack content_type the way an outside producer's can.
    On RabbitMQ the connection has publisher confirms: this returns after basic.ack."""
    with bus.connection() as conn:
        channel = conn.channel()
        properties = {"delivery_mode": 2}
        if message_id:
            properties["message_id"] = message_id
        message = channel.prepare_message(
            body,
            content_type=content_type,
            content_encoding=content_encoding or ("utf-8" if content_type else None),
            headers=headers or {},
            properties=properties,
        )
        channel.basic_publish(message, exchange=EVENTS.name, routing_key=routing_key)


def publish_envelope(bus: Bus, env: dict) -> None:
    """Publish an envelope the way the relay does (same properties/headers)."""
    with bus.connection() as conn:
        Producer(conn.channel()).publish(
            json.dumps(env).encode(),
            exchange=EVENTS,
            routing_key=env["type"],
            content_type="application/json",
            content_encoding="utf-8",
            message_id=env["id"],
            delivery_mode=2,
            headers={"event_type": env["type"], "schema_version": env["version"]},
        )


# -- inspecting -------------------------------------------------------------


def queue_depth(bus: Bus, queue: str) -> int:
    """Messages ready in `queue` (on RabbitMQ unacked ones are not counted)."""
    with bus.connection() as conn:
        return conn.channel().queue_declare(queue=queue, passive=True).message_count


def take_all(bus: Bus, queue: str) -> list[dict]:
    """Remove every message from `queue` and describe it (destructive: use last)."""
    taken = []
    with bus.connection() as conn:
        channel = conn.channel()
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            message = channel.message_to_python(message) if hasattr(channel, "message_to_python") else message
            body = message.body  # py-amqp decodes utf-8 bodies to str; compare bytes
            taken.append(
                {
                    "body": body.encode("utf-8") if isinstance(body, str) else body,
                    "headers": dict(message.headers or {}),
                    "content_type": message.content_type,
                    "message_id": message.properties.get("message_id"),
                }
            )
    return taken


def count(bus: Bus, model) -> int:
    with bus.factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def listings(bus: Bus) -> int:
    return count(bus, Listing)


def inbox_rows(bus: Bus) -> list[tuple[str, str]]:
    with bus.factory() as session:
        return [(row.consumer, row.message_id) for row in session.scalars(select(Inbox))]


def unacked_in_vhost(vhost: str) -> int:
    """Messages delivered to consumers of this vhost and not yet acked, as
    the broker reports them (per channel: list_queues' counters lag by the
    stats interval, about 5 s, list_channels answers from the channels)."""
    out = subprocess.run(
        ["rabbitmqctl", "-q", "list_channels", "vhost", "messages_unacknowledged"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    return sum(int(unacked) for name, unacked in rows if name == vhost)


# -- consuming --------------------------------------------------------------


class RecordingConsumer(EventConsumer):
    """The real consumer, plus a record of every delivery it saw."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deliveries: list[dict] = []

    def on_message(self, body, message):
        headers = message.headers or {}
        self.deliveries.append(
            {
                "message_id": message.properties.get("message_id"),
                "attempt": int(headers.get("x-attempt", 1)),
                "death_queues": [d.get("queue") for d in headers.get("x-death") or []],
                "redelivered": bool((message.delivery_info or {}).get("redelivered")),
                "at": time.monotonic(),
            }
        )
        super().on_message(body, message)


@contextlib.contextmanager
def running_consumer(bus: Bus, handlers: dict | None = None, cls=RecordingConsumer):
    """Run the service's consumer in a thread; stop it (should_stop) on exit
    and fail if it died or does not stop in time."""
    errors: list[BaseException] = []
    with bus.connection() as conn:
        consumer = cls(
            conn,
            settings=bus.settings,
            handlers=handlers_for(load_config(bus.settings)) if handlers is None else handlers,
            session_factory=bus.factory,
            inbox_model=Inbox,
        )

        def run():
            try:
                consumer.run()
            except BaseException as exc:  # reported to the test below
                errors.append(exc)

        thread = threading.Thread(target=run, name="test-consumer", daemon=True)
        thread.start()
        try:
            yield consumer
            assert thread.is_alive(), f"consumer thread died: {errors!r}"
        finally:
            consumer.should_stop = True
            thread.join(timeout=15)
        assert not thread.is_alive(), "consumer did not stop within 15s"
        assert not errors, f"consumer raised: {errors!r}"


def verdicts(consumer) -> list[str]:
    return [outcome.verdict.value for outcome in consumer.outcomes]


# -- an unreachable broker ----------------------------------------------------


class BrokerGate:
    """A local TCP port in front of RabbitMQ. While closed it accepts and
    drops every connection at once (the broker is unreachable at that URL,
    and `attempts` counts how often a client tried); once opened it forwards
    byte for byte, so the same URL starts to work."""

    def __init__(self, target=("127.0.0.1", 5672)):
        self.target = target
        self.is_open = False
        self.refused = 0
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, amqp_url: str) -> str:
        return amqp_url.replace(f":{self.target[1]}/", f":{self.port}/", 1)

    def open(self) -> None:
        self.is_open = True

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self.is_open:
                self.refused += 1
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stopping = True
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
