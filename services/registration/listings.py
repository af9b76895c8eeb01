"""Registration's copy of each event, from `event.published`, `.updated`
and `.cancelled`: the columns registering reads (window, capacity, approval)
and the delivery mode with its confidential online room, upserted by
revision, so a stale or repeated revision is ignored. A raised capacity
frees seats, and the waiting list moves into them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.events.scheduling import JOIN_LINK_LEAD_MINUTES

from .models import Listing
from .store import gate
from .waitlist import promote_all

ROOM_FIELDS = ("platform", "join_url", "meeting_id", "passcode", "dial_in")


def apply_event(session: Session, data: dict, *, base_url: str) -> None:
    """Upsert our copy of the event; an older revision than the one held
    changes nothing. Promotions may make offers, whose links start with `base_url`."""
    gate.close(session, data["event_id"])  # a raised capacity frees places: before any row lock
    listing = session.get(Listing, data["event_id"], with_for_update=True)
    if listing is not None and listing.revision >= data["revision"]:
        return
    if listing is None:
        listing = Listing(id=data["event_id"], confirmed_count=0)
        session.add(listing)
    _copy(listing, data)
    session.flush()
    if listing.status == "published":  # a raised capacity frees seats for the waiting list
        promote_all(session, listing, base_url=base_url)


def _copy(listing: Listing, data: dict) -> None:
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
    listing.delivery_mode = data.get("delivery_mode") or "in_person"
    listing.online = room_of(data) if listing.delivery_mode != "in_person" else None
    listing.join_link_lead_minutes = data.get("join_link_lead_minutes", JOIN_LINK_LEAD_MINUTES)
    listing.credits = list(data.get("credits") or [])  # earned with the certificate (certificate_rules.py)
    listing.revision = data["revision"]


def room_of(data: dict) -> dict | None:
    """The online room as stored: the contract's fields, nothing else."""
    room = data.get("online")
    return {key: room.get(key) or "" for key in ROOM_FIELDS} if room else None
