"""The parked-messages page shows an owner only the messages about the events
of the organisations they own, and replays only those, whatever message ids
the form is sent with; administrators see and replay all of them. On
RabbitMQ, with the notifications service's real parking queue."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from kombu import Producer

from shared.auth import Organiser, issue_token
from shared.envelope import build_envelope
from shared.messaging.connection import connect
from shared.messaging.topology import DEAD, dead_queue
from shared.web.auth import COOKIE
from tests.integration.notification_helpers import Notifications, golden
from tests.integration.scheduling_support import submit

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres]

COMUNI, ATENEO = "a1b2c3d4-0000-4000-8000-0000000000c1", "a1b2c3d4-0000-4000-8000-0000000000a2"
EVENT_OF = {COMUNI: "7b0f3c9e-1111-4a4a-9c9c-0000000000c1", ATENEO: "7b0f3c9e-1111-4a4a-9c9c-0000000000a2"}


@pytest.fixture
def notifications(tmp_path, pg_url, amqp_url):
    service = Notifications(tmp_path, database_url=pg_url)
    service.settings = service.settings.with_overrides(broker_url=amqp_url)
    for organisation, event_id in EVENT_OF.items():
        data = golden("event.published")
        data.update(event_id=event_id, slug=f"evento-{organisation[-2:]}", organisation_ids=[organisation])
        service.publish("event.published", data)
    return service


def park(service: Notifications, event_id: str | None) -> str:
    """One message in notifications' parking queue about `event_id` (None: unreadable)."""
    message_id = str(uuid.uuid4())
    if event_id:
        data = {**golden("registration.confirmed"), "event_id": event_id}
        body = json.dumps(build_envelope("registration.confirmed", data, producer="test"), default=str)
    else:
        body = "not json at all"
    with connect(service.settings.broker_url, service.settings.bus_dir) as conn:
        channel = conn.channel()
        dead_queue("notifications")(channel).declare()
        Producer(channel).publish(
            body.encode(),
            exchange=DEAD,
            routing_key="notifications",
            message_id=message_id,
            content_type="application/json",
            content_encoding="utf-8",
            headers={"event_type": "registration.confirmed", "x-parked-reason": "test"},
            delivery_mode=2,
        )
    return message_id


def page_client(service: Notifications, roles: dict, admin: bool = False):
    client = service.client()
    token = issue_token(
        service.settings.jwt_private_key_path.read_bytes(), Organiser("account-x", "x@example.org", admin, roles)
    )
    client.set_cookie(COOKIE, token)
    return client


def listed(client) -> set[str]:
    page = client.get("/organiser/parked")
    assert page.status_code == 200
    return set(re.findall(r'name="message_id" value="([^"]+)"', page.get_data(as_text=True)))


def test_an_owner_sees_and_replays_only_the_messages_of_their_organisations(notifications):
    comuni_message = park(notifications, EVENT_OF[COMUNI])
    ateneo_message = park(notifications, EVENT_OF[ATENEO])
    unreadable = park(notifications, None)

    owner = page_client(notifications, {COMUNI: "owner", ATENEO: "organiser"})  # organiser only in ATENEO
    assert listed(owner) == {comuni_message}
    forged = {"message_id": [comuni_message, ateneo_message, unreadable]}  # ids the page never offered
    replay = submit(owner, "/organiser/parked", forged, action="/organiser/parked/replay")
    assert replay.status_code == 303

    admin = page_client(notifications, {}, admin=True)
    assert listed(admin) == {ateneo_message, unreadable}  # the owner's one left; the others untouched


def test_an_organiser_who_owns_nothing_is_refused(notifications):
    park(notifications, EVENT_OF[COMUNI])
    organiser = page_client(notifications, {COMUNI: "organiser"})
    assert organiser.get("/organiser/parked").status_code == 403
