"""The capacity guard: a seat is taken by one guarded UPDATE, so concurrent
requests can never confirm more people than the event has seats."""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from .models import Listing


def claim_seat(session: Session, event_id: str) -> bool:
    """Take a seat if one is left; False when the event is full."""
    result = session.execute(
        update(Listing)
        .where(Listing.id == event_id)
        .where(or_(Listing.capacity.is_(None), Listing.confirmed_count < Listing.capacity))
        .values(confirmed_count=Listing.confirmed_count + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_seat(session: Session, event_id: str) -> None:
    session.execute(
        update(Listing).where(Listing.id == event_id).where(Listing.confirmed_count > 0)
        .values(confirmed_count=Listing.confirmed_count - 1)
        .execution_options(synchronize_session=False)
    )
