"""Notifications reacts to every event type in the catalogue (shared/events),
so a new type added there without a handler here fails this test."""

from __future__ import annotations

from services.notifications.config import load_config
from services.notifications.worker.handlers import build_handlers
from shared.config import load_settings
from shared.events import registered
from shared.messaging.topology import SUBSCRIPTIONS


def handlers() -> dict:
    return build_handlers(load_config(load_settings("notifications"), env={}))


def test_every_catalogued_event_type_has_a_notifications_handler():
    assert {event_type for event_type, _version in registered()} <= set(handlers())


def test_the_notifications_queue_is_bound_to_every_handled_type():
    patterns = {pattern.split(".")[0] for pattern in SUBSCRIPTIONS["notifications"]}
    assert {event_type.split(".")[0] for event_type in handlers()} <= patterns
