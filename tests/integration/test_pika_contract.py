"""The wire contract of docs/events.md, proven with a client that is not ours.

docs/events.md is the contract: its JSON Schema block and its examples are
read from the file. The real outbox relay publishes events that the real use
cases wrote (scheduling and registration, on PostgreSQL or SQLite). An
independent pika consumer receives them in a fresh RabbitMQ vhost, from an
exclusive server-named queue bound to `events`, which it declares passively.
The documented pika example is run as a script against real events too."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pika
import pytest
from kombu import Connection, Producer
from pika.exceptions import ChannelClosedByBroker

from services.registration import registering as registration
from services.registration.listings import apply_event
from services.registration.models import Outbox as RegistrationOutbox
from services.scheduling import accounts as scheduling_accounts
from services.scheduling import events as scheduling
from services.scheduling.models import Outbox as SchedulingOutbox
from shared.auth import Organiser
from shared.envelope import parse_envelope
from shared.events import registered
from shared.messaging import add_event, topology
from shared.messaging.relay import Relay, relay_once
from tests import servers
from tests.factories import migrated_factory, participant, settings_for
from tests.integration.events_doc import (
    doc_text,
    documented_examples,
    envelope_validator,
    fenced_after,
    table_row,
    violations,
)

DEADLINE = 20.0
BASE_URL = "http://eventi.test"

# What the slice below writes, in outbox order per producer.
EXPECTED = {
    "scheduling": ["event.published", "event.updated", "event.cancelled"],
    "registration": [
        "registration.confirmed",
        "registration.waitlisted",
        "registration.cancelled",
        "registration.confirmed",
    ],
}


def test_the_documented_envelope_is_a_valid_json_schema():
    assert envelope_validator().schema["required"]


def test_every_catalogued_event_type_is_documented_with_an_example_our_own_schemas_accept():
    validator, examples, text = envelope_validator(), documented_examples(), doc_text()
    undocumented = [f"{t} v{v}" for t, v in registered() if f"| `{t}` |" not in text or (t, v) not in examples]
    assert not undocumented, (
        f"in shared/events but not documented in docs/events.md: {', '.join(undocumented)}. Each needs a row in "
        "the routing key table, a payload section with an `<!-- example: TYPE vN -->` JSON block, and a $defs "
        "entry (with an allOf branch) in the envelope schema"
    )
    for (event_type, version), example in examples.items():
        assert (event_type, version) in registered(), f"the doc has an example of unknown {event_type} v{version}"
        assert example["type"] == event_type and example["version"] == version
        assert violations(validator, example) == [], example
        assert parse_envelope(example).type == event_type  # marshmallow agrees with the doc


def test_the_documented_schema_rejects_bodies_that_break_the_contract():
    validator = envelope_validator()
    examples = documented_examples()
    published, waitlisted = examples[("event.published", 1)], examples[("registration.waitlisted", 1)]
    broken = [
        {k: v for k, v in published.items() if k != "id"},
        {**published, "id": "not-a-uuid"},
        {**published, "version": "1"},
        {**published, "occurred_at": "2027-02-01T10:15:02"},  # no offset
        {**published, "occurred_at": "2027-02-01T10:15:02+01:00"},  # not UTC
        {**published, "data": {k: v for k, v in published["data"].items() if k != "title"}},
        {**published, "data": {**published["data"], "starts_at": "10 March 2027"}},
        {**published, "data": {**published["data"], "title": {"en": "no Italian"}}},
        {**waitlisted, "data": {**waitlisted["data"], "status": "confirmed"}},
        {**waitlisted, "data": {k: v for k, v in waitlisted["data"].items() if k != "participant"}},
    ]
    for body in broken:
        assert violations(validator, body), f"the schema accepted a broken body: {body}"


def test_the_documented_exchanges_and_queues_are_the_ones_the_topology_module_declares():
    for exchange in (topology.EVENTS, topology.RETRY, topology.DEAD):
        assert f"| {exchange.type} | yes |" in table_row(f"`{exchange.name}`")
    for service in topology.SUBSCRIPTIONS:
        for queue in (topology.service_queue(service), topology.retry_queue(service), topology.dead_queue(service)):
            row = table_row(f"`{queue.name}`")
            keys = [b.routing_key for b in queue.bindings] or [queue.routing_key]
            exchanges = {b.exchange.name for b in queue.bindings} or {queue.exchange.name}
            for name in exchanges:
                assert f"`{name}`:" in row, f"{queue.name} is bound to {name}: {row}"
            assert set(re.findall(r"`([a-z*#.]+)`", row.split("|")[2].split(":", 1)[1])) == set(keys), row
            arguments = {f"{k}={v if v != '' else chr(34) * 2}" for k, v in queue.queue_arguments.items()}
            assert set(re.findall(r"`(x-[a-z-]+=[^`]*)`", row)) == arguments, f"{queue.name}: {row}"


# --- producing real events -------------------------------------------------------------


def outbox_databases(kind: str, tmp_path: Path):
    """Database URLs for scheduling and registration, and a cleanup."""
    if kind == "sqlite":
        return {s: f"sqlite:///{tmp_path / (s + '.db')}" for s in EXPECTED}, lambda: None
    urls = {s: servers.create_pg_database(f"eventi_contract_{s}") for s in EXPECTED}
    return urls, lambda: [servers.drop_pg_database(url) for url in urls.values()]


def wire_services(urls: dict, amqp_url: str, tmp_path: Path) -> dict:
    """{service: (settings, session factory, outbox model)} with migrated databases."""
    outboxes = {"scheduling": SchedulingOutbox, "registration": RegistrationOutbox}
    wired = {}
    for service, url in urls.items():
        settings = settings_for(service, tmp_path, database_url=url, broker_url=amqp_url, public_base_url=BASE_URL)
        wired[service] = (settings, migrated_factory(service, settings), outboxes[service])
    return wired


def write_the_slice(wired: dict) -> dict:
    """Seven events through the real use cases: an event published, updated
    and cancelled; A confirmed, B waitlisted, A cancelled, B promoted."""
    schedule, register = wired["scheduling"][1], wired["registration"][1]
    with schedule() as session, session.begin():
        organisation = scheduling_accounts.create_organisation(session, "Comune di Prova", "comune-di-prova")
        account = scheduling_accounts.create_account(
            session,
            email="giulia@example.org",
            name="Giulia Rossi",
            password="contract-test-password",
            memberships={organisation.id: "owner"},
        )
        organiser = Organiser(account.id, account.email, False, {organisation.id: "owner"})
        event = scheduling.create_event(
            session,
            organiser,
            {
                "title_it": "Bilancio partecipativo",
                "title_en": "Participatory budgeting",
                "type": "seminar",
                "starts_at": _utc(2027, 3, 10, 8, 30),
                "ends_at": _utc(2027, 3, 10, 12, 0),
                "timezone": "Europe/Rome",
                "venue": "Sala consiliare",
                "capacity": 1,
            },
        )
        scheduling.publish_event(session, organiser, event.slug, BASE_URL)
        event_payload = scheduling.event_data(event, BASE_URL)
    with schedule() as session, session.begin():  # no update use case yet: what one would write
        event = session.merge(event)
        event.capacity = 1
        event.touch()
        add_event(session, "event.updated", scheduling.event_data(event, BASE_URL))
    with register() as session, session.begin():
        apply_event(session, event_payload, base_url=BASE_URL)  # what registration's consumer does with event.published
    issued = {}
    for name, person in (("anna", participant(1, locale="it")), ("ben", participant(2, locale="en"))):
        with register() as session, session.begin():
            issued[name] = registration.register(session, event_payload["slug"], person, base_url=BASE_URL).token
    with register() as session, session.begin():
        registration.cancel(session, issued["anna"], base_url=BASE_URL)
    with schedule() as session, session.begin():
        scheduling.cancel_event(session, organiser, event_payload["slug"], BASE_URL)
    return issued


def _utc(*parts):
    import datetime as dt

    return dt.datetime(*parts, tzinfo=dt.timezone.utc)


# --- the independent consumer ------------------------------------------------------------


def pika_channel(amqp_url: str):
    """A pika connection and channel once `events` exists (declared by our topology)."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    deadline = time.monotonic() + DEADLINE
    while True:
        channel = connection.channel()
        try:
            channel.exchange_declare("events", exchange_type="topic", passive=True)
            return connection, channel
        except ChannelClosedByBroker as exc:  # 404 until the relay has declared it
            if exc.reply_code != 404 or time.monotonic() > deadline:
                connection.close()
                raise
            time.sleep(0.1)


def receive(channel, queue: str, count: int) -> list[tuple]:
    received = []
    deadline = time.monotonic() + DEADLINE
    for method, properties, body in channel.consume(queue, inactivity_timeout=0.2):
        if method is not None:
            received.append((method, properties, body))
            channel.basic_ack(method.delivery_tag)
        if len(received) >= count or time.monotonic() > deadline:
            break
    channel.cancel()
    return received


@pytest.mark.rabbitmq
@pytest.mark.parametrize("outbox", [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def test_an_independent_pika_consumer_receives_what_the_relay_publishes_as_documented(outbox, amqp_url, tmp_path):
    urls, cleanup = outbox_databases(outbox, tmp_path)
    relays: list[Relay] = []
    try:
        wired = wire_services(urls, amqp_url, tmp_path)
        relays = [Relay(settings, factory, model, poll_interval=0.05) for settings, factory, model in wired.values()]
        threads = [threading.Thread(target=relay.run, daemon=True) for relay in relays]
        for thread in threads:
            thread.start()
        connection, channel = pika_channel(amqp_url)
        try:
            queue = channel.queue_declare("", exclusive=True).method.queue
            channel.queue_bind(queue, "events", routing_key="#")
            tokens = write_the_slice(wired)
            expected = sum(len(types) for types in EXPECTED.values())
            received = receive(channel, queue, expected)
        finally:
            connection.close()
        for relay in relays:
            relay.stop()
        for thread in threads:
            thread.join(timeout=10)
        assert len(received) == expected, [m.routing_key for m, _, _ in received]
        assert all(not relay.returned for relay in relays)
        assert_documented_messages(received, tokens)
        assert_outboxes_drained(wired)
    finally:
        for relay in relays:
            relay.stop()
        cleanup()


def assert_documented_messages(received: list[tuple], tokens: dict) -> None:
    validator = envelope_validator()
    by_producer: dict[str, list[str]] = {}
    ids = set()
    for method, properties, raw in received:
        assert method.exchange == "events"
        assert properties.content_type == "application/json"
        assert properties.content_encoding == "utf-8"
        assert properties.delivery_mode == 2
        body = json.loads(raw.decode(properties.content_encoding))
        assert violations(validator, body) == [], body
        assert properties.message_id == body["id"]
        headers = properties.headers or {}
        assert headers.get("event_type") == body["type"] == method.routing_key
        assert headers.get("schema_version") == body["version"] == 1
        ids.add(body["id"])
        by_producer.setdefault(body["producer"], []).append(body["type"])
        parse_envelope(raw)  # and our own consumers accept it
        if body["producer"] == "registration":  # the secret link travels once, when it is issued
            secret_links = [t for t in tokens.values() if t in raw.decode()]
            if body["data"]["previous_status"] is None:
                assert len(secret_links) == 1 and body["data"]["manage_url"].endswith(secret_links[0])
            else:
                assert body["data"]["manage_url"] is None and not secret_links
    assert len(ids) == len(received)
    assert by_producer == EXPECTED  # each producer's events in outbox order


def assert_outboxes_drained(wired: dict) -> None:
    from sqlalchemy import func, select

    for _settings, factory, model in wired.values():
        with factory() as session:
            assert session.scalar(select(func.count()).select_from(model).where(model.published_at.is_(None))) == 0


# --- the documented example, run as a script ---------------------------------------------


@pytest.mark.rabbitmq
def test_the_documented_pika_consumer_example_runs_against_real_events(amqp_url, tmp_path):
    script = tmp_path / "eventi_consumer.py"
    script.write_text(fenced_after("example: pika-consumer", "python"), "utf-8")
    urls, _ = outbox_databases("sqlite", tmp_path)
    wired = wire_services(urls, amqp_url, tmp_path)
    expected = sum(len(types) for types in EXPECTED.values())
    declare_topology(wired["scheduling"], amqp_url)  # what every worker and relay does on connect
    stderr_path = tmp_path / "consumer.stderr"
    with open(stderr_path, "wb") as stderr:
        consumer = subprocess.Popen(
            [sys.executable, str(script), "event.*", "registration.*"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "AMQP_URL": amqp_url, "MAX_MESSAGES": str(expected), "QUEUE": ""},
        )
        try:
            _wait_for_line(stderr_path, "listening on", consumer)
            tokens = write_the_slice(wired)
            with Connection(amqp_url, transport_options={"confirm_publish": True}) as conn:
                producer = Producer(conn.channel(), exchange=topology.EVENTS)
                for _settings, factory, model in wired.values():  # the relay's batch function itself
                    while relay_once(factory, model, producer):
                        pass
            out, _ = consumer.communicate(timeout=DEADLINE)
        finally:
            if consumer.poll() is None:
                consumer.kill()
                consumer.wait(timeout=5)
    assert consumer.returncode == 0, stderr_path.read_text()
    lines = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    assert sorted(line["type"] for line in lines) == sorted(t for types in EXPECTED.values() for t in types)
    assert all("manage_url" not in line["data"] for line in lines)
    assert not any(token in out.decode() for token in tokens.values())  # the secret links never got printed


def declare_topology(service: tuple, amqp_url: str) -> None:
    """Run a real relay (on an empty outbox) until `events` exists."""
    settings, factory, model = service
    relay = Relay(settings, factory, model, poll_interval=0.05)
    thread = threading.Thread(target=relay.run, daemon=True)
    thread.start()
    try:
        connection, _channel = pika_channel(amqp_url)
        connection.close()
    finally:
        relay.stop()
        thread.join(timeout=10)


def _wait_for_line(path: Path, text: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE
    while text not in path.read_text("utf-8", "replace"):
        assert process.poll() is None, f"the example exited early:\n{path.read_text()}"
        assert time.monotonic() < deadline, f"the example never said {text!r}:\n{path.read_text()}"
        time.sleep(0.05)
