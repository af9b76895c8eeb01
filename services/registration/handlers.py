"""Registration's reactions to other services' events."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import gate
from .models import Listing
from .programme import apply_release
from .waitlist import promote_all


def on_event_changed(session: Session, data: dict, envelope=None) -> None:
    """event.published / .updated / .cancelled: upsert our copy of the event.
    A stale revision (older than what we hold) is ignored."""
    gate.close(session, data["event_id"])  # a raised capacity frees places: before any row lock
    listing = session.get(Listing, data["event_id"], with_for_update=True)
    if listing is not None and listing.revision >= data["revision"]:
        return
    if listing is None:
        listing = Listing(id=data["event_id"], confirmed_count=0)
        session.add(listing)
    registration = data.get("registration") or {}
    listing.slug = data["slug"]
    listing.title_it = data["title"]["it"]
    listing.title_en = data["title"].get("en")
    listing.starts_at, listing.ends_at = data["starts_at"], data["ends_at"]
    listing.timezone, listing.venue, listing.url = data["timezone"], data.get("venue", ""), data.get("url")
    listing.status, listing.event_type = data["status"], data.get("type", "")
    listing.organisation_ids = list(data.get("organisation_ids") or [])
    listing.capacity = data.get("capacity")
    listing.opens_at, listing.closes_at = registration.get("opens_at"), registration.get("closes_at")
    listing.approval_required = registration.get("approval_required", False)
    listing.revision = data["revision"]
    session.flush()
    if listing.status == "published":  # a raised capacity frees seats for the waiting list
        promote_all(session, listing)


def on_schedule_released(session: Session, data: dict, envelope=None) -> None:
    """schedule.released: keep the programme's sessions; workshops get their seats."""
    apply_release(session, data)


HANDLERS = {
    "event.published": on_event_changed,
    "event.updated": on_event_changed,
    "event.cancelled": on_event_changed,
    "schedule.released": on_schedule_released,
}
