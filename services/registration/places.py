"""A place in the event: a seat within the capacity and, for a registration
with a category, a place within that category's quota. Both are claimed
together or not at all; whoever holds them has `holds_seat` set."""

from __future__ import annotations

import enum

from sqlalchemy.orm import Session

from .models import Category, Registration
from .store.counters import GUARDED, Guards, release_quota, release_seat


class Placed(enum.Enum):
    YES = "yes"
    EVENT_FULL = "event_full"
    CATEGORY_FULL = "category_full"


def take_place(session: Session, registration: Registration, guards: Guards = GUARDED) -> Placed:
    """Rows are always locked in one order: listing, category, options,
    workshops (no lock-order deadlocks between registrations and departures)."""
    if not guards.seat(session, registration.event_id):
        return Placed.EVENT_FULL
    if registration.category_id is not None and not guards.quota(session, Category, registration.category_id):
        release_seat(session, registration.event_id)
        return Placed.CATEGORY_FULL
    if not registration.holds_seat:  # assigning the same value would still cost a flush at commit
        registration.holds_seat = True
    return Placed.YES


def give_back_place(session: Session, registration: Registration) -> bool:
    """Release the seat (and category place) if held; True when one was freed."""
    if not registration.holds_seat:
        return False
    release_seat(session, registration.event_id)
    if registration.category_id is not None:
        release_quota(session, Category, registration.category_id)
    registration.holds_seat = False
    return True
