"""The event's FIFO waiting list (and each category's, inside it): when a
place frees, the first person who fits is promoted, either confirmed at once
or sent an offer with a deadline, as the event's promotion mode says."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared.db import utcnow

from . import forms, workshops
from .links import issue_link, manage_url
from .models import Category, Listing, Registration
from .places import Placed, give_back_place, take_place
from .publishing import publish_registration
from .store.counters import GUARDED, Guards

MAX_TRIES = 5


def promote_next(
    session: Session, listing: Listing, guards: Guards = GUARDED, *, base_url: str, now: dt.datetime | None = None
) -> Registration | None:
    """Promote the first waitlisted person whose category has room, if a seat is free.
    An offer's secret link starts with `base_url`."""
    for _ in range(MAX_TRIES):
        candidate = _first_in_line(session, listing)
        if candidate is None:
            return None
        placed = take_place(session, candidate, guards)
        if placed is Placed.EVENT_FULL:
            return None
        if placed is Placed.YES:
            _admit(session, candidate, listing, guards, now or utcnow(), base_url)
            return candidate
    return None


def promote_all(
    session: Session, listing: Listing, guards: Guards = GUARDED, *, base_url: str, now: dt.datetime | None = None
) -> int:
    """Fill every free place (capacity or a quota raised)."""
    promoted = 0
    while promote_next(session, listing, guards, base_url=base_url, now=now):
        promoted += 1
    return promoted


def _first_in_line(session: Session, listing: Listing) -> Registration | None:
    """SKIP LOCKED: concurrent promotions each take a different person."""
    return session.scalar(
        select(Registration)
        .outerjoin(Category, Category.id == Registration.category_id)
        .where(
            Registration.event_id == listing.id,
            Registration.status == "waitlisted",
            or_(Category.id.is_(None), Category.quota.is_(None), Category.taken < Category.quota),
        )
        .order_by(Registration.queued_at, Registration.id)
        .limit(1)
        .with_for_update(of=Registration, skip_locked=True)
    )


def _admit(
    session: Session,
    registration: Registration,
    listing: Listing,
    guards: Guards,
    now: dt.datetime,
    base_url: str,
) -> None:
    deadline = min(now + dt.timedelta(hours=listing.offer_hours), listing.starts_at)
    if listing.promotion_mode == "offer" and deadline > now:
        previous = registration.offer(deadline)
        token = issue_link(session, registration, "offer")
        publish_registration(
            session,
            registration,
            listing,
            previous=previous,
            manage=manage_url(base_url, token),
        )
        return
    confirm(session, registration, listing, guards)


def confirm(session: Session, registration: Registration, listing: Listing, guards: Guards = GUARDED) -> None:
    """Confirm a registration that holds its place, then seat its workshops."""
    previous = registration.confirm()
    publish_registration(session, registration, listing, previous=previous)
    workshops.on_confirmed(session, registration, listing, guards)


def depart(
    session: Session,
    registration: Registration,
    listing: Listing,
    *,
    base_url: str,
    reason: str | None = None,
    guards: Guards = GUARDED,
) -> None:
    """After a move out (cancelled, rejected, expired): give back the options,
    the place and the workshop seats (rows in the order every use case locks
    them), and let the next person in. The caller has closed the seat gate."""
    forms.give_back_options(session, forms.snapshot(session, listing), registration)
    freed = give_back_place(session, registration)
    workshops.release_all(session, registration, listing, reason)
    if freed:
        promote_next(session, listing, guards, base_url=base_url)
