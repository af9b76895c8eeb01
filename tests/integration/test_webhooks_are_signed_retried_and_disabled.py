"""Webhooks against a real HTTP receiver (http.server on a loopback port), on
SQLite and PostgreSQL: events become signed deliveries that the example of
docs/webhooks.md verifies, failures are retried with back-off, an endpoint
that keeps failing is disabled and its contact mailed, the type filter and
the organisation hold, and no secret of the bus reaches a receiver."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from services.notifications.webhooks.sending import send_due_webhooks
from tests.integration.notification_helpers import (
    ORGANISATION,
    Notifications,
    event,
    golden,
    registration,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
OTHER_ORGANISATION = "b2c3d4e5-0000-4000-8000-00000000000b"
HOURS = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Answers each POST with the next scripted status (the last repeats) and keeps what it got."""

    def __init__(self, statuses=(204,)):
        self.statuses = list(statuses)
        self.received: list[Received] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                status = receiver.statuses[min(len(receiver.received), len(receiver.statuses)) - 1]
                answer = (f"answer {status} " + "x" * 2000).encode()
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.url + "/elsewhere")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/eventi"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def documented_verify():
    """The verification example of docs/webhooks.md, run as written."""
    found = re.search(r"<!-- example: verify-webhook -->\s*```python\n(.*?)\n```", DOC.read_text("utf-8"), re.DOTALL)
    assert found, "docs/webhooks.md has no verification example"
    namespace: dict = {}
    exec(found.group(1), namespace)
    return namespace["verify"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Notifications(tmp_path, database_url=database_url, webhooks_allow_http=True)


def create(notifications, url, types, *, organisation=ORGANISATION, **extra) -> dict:
    client = notifications.client()
    answer = client.post(
        f"/api/v1/organisations/{organisation}/webhooks",
        json={"url": url, "event_types": types, **extra},
        headers=notifications.organiser_headers({organisation: "owner"}),
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def log_of(notifications, endpoint, organisation=ORGANISATION) -> list[dict]:
    client = notifications.client()
    path = f"/api/v1/organisations/{organisation}/webhooks/{endpoint['id']}/deliveries"
    answer = client.get(path, headers=notifications.organiser_headers({organisation: "owner"}))
    assert answer.status_code == 200
    return answer.get_json()


def send(notifications, at: dt.datetime | None = None) -> int:
    return send_due_webhooks(notifications.factory, notifications.config, now=at)


def later(hours: float) -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)


def test_an_event_arrives_signed_and_the_documented_example_verifies_it(notifications):
    verify = documented_verify()
    with Receiver() as receiver:
        endpoint = create(notifications, receiver.url, ["event.*"])
        notifications.publish("event.published", event())
        assert send(notifications) == 1
    (got,) = receiver.received
    assert got.path == "/hooks/eventi"
    assert verify(endpoint["secret"], got.headers, got.body)
    envelope = json.loads(got.body)
    assert envelope["type"] == "event.published" and envelope["data"]["organisation_ids"] == [ORGANISATION]
    assert set(envelope) == {"id", "type", "version", "occurred_at", "producer", "correlation_id", "data"}
    (logged,) = log_of(notifications, endpoint)
    assert got.headers["Eventi-Webhook-Id"] == logged["id"] and logged["message_id"] == envelope["id"]
    assert logged["status"] == "delivered" and logged["attempts"] == 1 and logged["last_status_code"] == 204
    # controls: the example refuses a changed body, another secret and an old timestamp
    assert not verify(endpoint["secret"], got.headers, got.body.replace(b"published", b"cancelled"))
    assert not verify("whsec_another", got.headers, got.body)
    assert not verify(endpoint["secret"], got.headers, got.body, now=time.time() + 301)


def test_a_receiver_answering_500_then_200_gets_the_delivery_on_the_retry(notifications):
    with Receiver([500, 200]) as receiver:
        endpoint = create(notifications, receiver.url, ["registration.*"])
        notifications.publish("event.published", event())
        notifications.publish("registration.confirmed", registration("confirmed"))
        assert send(notifications) == 1
        (first,) = log_of(notifications, endpoint)
        assert first["status"] == "pending" and first["last_status_code"] == 500 and first["attempts"] == 1
        assert first["response_excerpt"].startswith("answer 500") and len(first["response_excerpt"]) <= 300
        waits = dt.datetime.fromisoformat(first["next_attempt_at"]) - dt.datetime.fromisoformat(
            first["last_attempt_at"]
        )
        assert dt.timedelta(minutes=1) <= waits <= dt.timedelta(minutes=1.2)
        assert send(notifications) == 0  # not due yet
        assert send(notifications, at=later(0.1)) == 1
    assert [r.headers["Eventi-Webhook-Id"] for r in receiver.received] == [first["id"]] * 2
    (second,) = log_of(notifications, endpoint)
    assert second["status"] == "delivered" and second["attempts"] == 2 and second["last_status_code"] == 200


def test_a_receiver_that_always_fails_gets_its_endpoint_disabled_and_the_contact_a_mail(notifications):
    config = notifications.config.with_options(webhook_max_attempts=2, webhook_disable_after=2)
    notifications.config = config
    with Receiver([503]) as receiver:
        endpoint = create(notifications, receiver.url, ["event.*"], contact_language="en")
        notifications.publish("event.published", event(revision=2))
        notifications.publish("event.updated", event(revision=3))
        assert send_due_webhooks(notifications.factory, config) == 2
        assert send_due_webhooks(notifications.factory, config, now=later(1)) == 2
        notifications.publish("event.updated", event(revision=4))  # after disabling: not queued
        assert send_due_webhooks(notifications.factory, config, now=later(30)) == 0
    assert len(receiver.received) == 4
    client = notifications.client()
    path = f"/api/v1/organisations/{ORGANISATION}/webhooks/{endpoint['id']}"
    state = client.get(path, headers=notifications.organiser_headers()).get_json()
    assert state["enabled"] is False and state["disabled_reason"] == "failures"
    assert {d["status"] for d in log_of(notifications, endpoint)} == {"failed"}
    (notice,) = notifications.mails(kind="webhook_disabled")
    assert notice["To"] == "organiser@example.org" and notice["Subject"].startswith("Webhook disabled")
    text = notice.get_body(preferencelist=("plain",)).get_content()
    assert receiver.url in text and f"/webhooks/{endpoint['id']}" in text and "HTTP 503" in text


def test_a_redirect_is_a_failure_and_is_not_followed(notifications):
    with Receiver([302]) as receiver:
        endpoint = create(notifications, receiver.url, ["event.published"])
        notifications.publish("event.published", event())
        send(notifications)
    assert len(receiver.received) == 1  # nothing went to the Location
    (logged,) = log_of(notifications, endpoint)
    assert logged["status"] == "pending" and logged["last_status_code"] == 302 and logged["last_error"] == "HTTP 302"


def test_only_wanted_types_and_only_the_own_organisation_are_delivered(notifications):
    with Receiver() as ours, Receiver() as theirs:
        confirmations = create(notifications, ours.url, ["registration.confirmed"])
        everything = create(notifications, ours.url, ["*"])
        create(notifications, theirs.url, ["*"], organisation=OTHER_ORGANISATION)
        notifications.publish("event.published", event())
        notifications.publish("registration.confirmed", registration("confirmed", n=1))
        notifications.publish("registration.waitlisted", registration("waitlisted", n=2, waitlist_position=1))
        send(notifications)
    assert [d["event_type"] for d in log_of(notifications, confirmations)] == ["registration.confirmed"]
    assert sorted(d["event_type"] for d in log_of(notifications, everything)) == [
        "event.published",
        "registration.confirmed",
        "registration.waitlisted",
    ]
    assert len(ours.received) == 4 and theirs.received == []


def test_no_secret_of_the_bus_reaches_a_receiver(notifications):
    online = {
        "platform": "zoom",
        "join_url": "https://zoom.example/j/SECRET-ROOM",
        "meeting_id": "812 3456 7890",
        "passcode": "SECRET-PASS",
    }
    join = golden("registration.join_link_changed")
    with Receiver() as receiver:
        create(notifications, receiver.url, ["*"])
        notifications.publish("event.published", event(delivery_mode="online", online=online))
        notifications.publish("registration.confirmed", registration("confirmed"))
        notifications.publish("registration.join_link_changed", join)
        send(notifications)
    bodies = [json.loads(r.body) for r in receiver.received]
    assert [b["type"] for b in bodies] == [
        "event.published",
        "registration.confirmed",
        "registration.join_link_changed",
    ]
    raw = b"".join(r.body for r in receiver.received)
    for secret in (b"SECRET-ROOM", b"SECRET-PASS", b"812 3456 7890", b"SECRET-1", b"EXAMPLE-PERSONAL-TOKEN"):
        assert secret not in raw
    assert bodies[0]["data"]["online"] is None and bodies[0]["data"]["delivery_mode"] == "online"
    assert "manage_url" in bodies[1]["data"] and bodies[1]["data"]["manage_url"] is None
    assert bodies[2]["data"]["join_url"] is None
    # control: the secrets were there to be removed
    assert join["join_url"] and "EXAMPLE-PERSONAL-TOKEN" in join["join_url"]


def test_a_ping_goes_once_also_to_a_disabled_endpoint_and_never_counts_as_a_failure(notifications):
    with Receiver([500, 204]) as receiver:
        endpoint = create(notifications, receiver.url, ["event.*"])
        client = notifications.client()
        base = f"/api/v1/organisations/{ORGANISATION}/webhooks/{endpoint['id']}"
        headers = notifications.organiser_headers()
        assert client.patch(base, json={"enabled": False}, headers=headers).status_code == 200
        queued = client.post(f"{base}/ping", headers=headers)
        assert queued.status_code == 202 and queued.get_json()["event_type"] == "webhook.ping"
        send(notifications)
        send(notifications, at=later(24))  # a failed ping is not retried
        assert client.post(f"{base}/ping", headers=headers).status_code == 202
        send(notifications)
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["webhook.ping"] * 2
    assert [d["status"] for d in log_of(notifications, endpoint)] == ["delivered", "failed"]
    state = client.get(base, headers=headers).get_json()
    assert state["consecutive_failures"] == 0 and state["enabled"] is False


def test_enabling_again_sends_what_waited_and_a_rotated_secret_signs_it(notifications):
    verify = documented_verify()
    with Receiver() as receiver:
        endpoint = create(notifications, receiver.url, ["event.*"])
        client = notifications.client()
        base = f"/api/v1/organisations/{ORGANISATION}/webhooks/{endpoint['id']}"
        headers = notifications.organiser_headers()
        notifications.publish("event.published", event())
        client.patch(base, json={"enabled": False}, headers=headers)
        assert send(notifications) == 0  # waits while disabled
        rotated = client.post(f"{base}/rotate-secret", headers=headers).get_json()
        assert rotated["secret"] != endpoint["secret"]
        assert client.patch(base, json={"enabled": True}, headers=headers).get_json()["enabled"] is True
        assert send(notifications) == 1
    (got,) = receiver.received
    assert verify(rotated["secret"], got.headers, got.body) and not verify(endpoint["secret"], got.headers, got.body)


def repeated(ids: list[str]) -> set[str]:
    return {one for one in ids if ids.count(one) > 1}


@pytest.mark.postgres
def test_two_senders_at_once_deliver_each_webhook_exactly_once(tmp_path, pg_url):
    notifications = Notifications(tmp_path, database_url=pg_url, webhooks_allow_http=True)
    with Receiver([204]) as receiver:
        create(notifications, receiver.url, ["event.*"])
        for revision in range(2, 32):
            notifications.publish("event.updated", event(revision=revision))
        barrier, counts = threading.Barrier(2), []

        def sender():
            barrier.wait()
            counts.append(send(notifications))

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    ids = [r.headers["Eventi-Webhook-Id"] for r in receiver.received]
    assert len(ids) == 30 and sum(counts) == 30 and repeated(ids) == set()
    assert repeated([*ids, ids[0]]) == {ids[0]}  # control: a second delivery of one id would be seen
