"""Notifications' tables, one module per concern."""

from .agenda import ACTIVE_STATES, Attendee, Certificate, EventCopy, Feed, ManageLink, SessionCopy
from .base import Base, Inbox, Outbox
from .delivery import DELIVERY_STATES, ERASED_ADDRESS, Delivery
from .invitation import Invitation, WorkshopSeat
from .jobs import DigestEntry, ReminderSent, StartsSoonSent

__all__ = [
    "ACTIVE_STATES",
    "DELIVERY_STATES",
    "ERASED_ADDRESS",
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
    "WorkshopSeat",
]
