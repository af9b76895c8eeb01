"""Notifications' tables, one module per concern."""

from .agenda import ACTIVE_STATES, Attendee, Certificate, EventCopy, Feed, ManageLink, SessionCopy
from .base import Base, Inbox, Outbox
from .delivery import DELIVERY_STATES, ERASED_ADDRESS, Delivery
from .invitation import Invitation, WorkshopSeat
from .jobs import DigestEntry, ReminderSent, StartsSoonSent
from .webhook import PING, WEBHOOK_DELIVERY_STATES, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ACTIVE_STATES",
    "DELIVERY_STATES",
    "ERASED_ADDRESS",
    "PING",
    "WEBHOOK_DELIVERY_STATES",
    "Attendee",
    "Base",
    "Certificate",
    "Delivery",
    "DigestEntry",
    "EventCopy",
    "Feed",
    "Inbox",
    "Invitation",
    "ManageLink",
    "Outbox",
    "ReminderSent",
    "SessionCopy",
    "StartsSoonSent",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkshopSeat",
]
