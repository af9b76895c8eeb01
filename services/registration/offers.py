"""Offers: a waitlisted person promoted in an event with `promotion_mode =
offer` holds a seat until a deadline. Accepting confirms it; a deadline that
passes expires it and the seat passes to the next in line."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict

from .links import by_token
from .models import Listing, Registration
from .publishing import publish_registration
from .store import gate
from .store.counters import GUARDED, Guards
from .waitlist import confirm, depart


class NoOpenOffer(Conflict):
    """There is no offer to accept (none was made, or it expired)."""


def accept(session: Session, token: str, *, now: dt.datetime | None = None, guards: Guards = GUARDED) -> Registration:
    registration = by_token(session, token, for_update=True)
    now = now or utcnow()
    if registration.status != "offered":
        raise NoOpenOffer(f"a {registration.status} registration has no offer to accept", field="status")
    if registration.offer_expires_at is None or registration.offer_expires_at <= now:
        raise NoOpenOffer("the offer has expired", field="status")
    confirm(session, registration, session.get_one(Listing, registration.event_id), guards)
    return registration


def expire_due(
    session: Session, *, base_url: str, now: dt.datetime | None = None, limit: int = 100, guards: Guards = GUARDED
) -> int:
    """Expire the offers past their deadline (oldest first) and pass each seat on
    (a new offer's link starts with `base_url`)."""
    due = session.scalars(
        select(Registration)
        .where(Registration.status == "offered", Registration.offer_expires_at <= (now or utcnow()))
        .order_by(Registration.offer_expires_at, Registration.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for registration in due:
        listing = session.get_one(Listing, registration.event_id)
        gate.close(session, listing.id)
        previous = registration.expire()
        publish_registration(session, registration, listing, previous=previous)
        depart(session, registration, listing, base_url=base_url, guards=guards)
    return len(due)
