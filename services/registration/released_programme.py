"""Registration's copy of the released programme, from `schedule.released`:
each release carries the sessions that changed, so rows are upserted one by
one and a session from an older release than the one held is ignored."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .listings import room_of
from .models import Listing, ProgrammeSession, Registration, WorkshopSignup
from .publishing import publish_workshop
from .store.counters import GUARDED, Guards
from .workshops import promote

SESSION_CANCELLED = "the session was cancelled"


def apply_release(session: Session, data: dict, guards: Guards = GUARDED) -> None:
    version = data["version"]["number"]
    listing = session.get(Listing, data["event_id"])
    for item in data["sessions"]:
        workshop = session.get(ProgrammeSession, item["id"], with_for_update=True)
        if workshop is not None and workshop.release >= version:
            continue  # stale or repeated
        was_cancelled = workshop is not None and workshop.status == "cancelled"
        if workshop is None:
            workshop = ProgrammeSession(id=item["id"], taken=0)
            session.add(workshop)
        _copy(workshop, data["event_id"], item, version)
        session.flush()
        if listing is None:
            continue
        if workshop.status == "cancelled" and not was_cancelled:
            cancel_signups(session, workshop, listing)
        elif workshop.is_workshop and workshop.status != "cancelled":
            while promote(session, listing, workshop, guards):  # a raised seat limit frees seats
                pass


def _copy(workshop: ProgrammeSession, event_id: str, item: dict, version: int) -> None:
    workshop.event_id, workshop.guid, workshop.kind = event_id, item["guid"], item["kind"]
    workshop.status = item["status"]
    workshop.title_it, workshop.title_en = item["title"]["it"], item["title"].get("en")
    workshop.starts_at, workshop.ends_at = item["starts_at"], item["ends_at"]
    workshop.room = (item.get("room") or {}).get("name")
    workshop.url = item.get("url")
    workshop.requires_signup = bool(item.get("requires_signup"))
    workshop.seat_limit = item.get("seat_limit")
    workshop.sequence, workshop.release = item["sequence"], version
    workshop.delivery_mode = item.get("delivery_mode")  # None: as the event
    workshop.online = room_of(item)
    workshop.hours = item.get("hours")  # None: its duration counts
    workshop.credits = list(item.get("credits") or [])


def cancel_signups(session: Session, workshop: ProgrammeSession, listing: Listing) -> None:
    """A cancelled workshop: every sign-up ends, and those who were told they
    had a seat or a place in line hear that it was cancelled."""
    signups = session.scalars(
        select(WorkshopSignup)
        .where(WorkshopSignup.session_id == workshop.id, WorkshopSignup.status != "cancelled")
        .order_by(WorkshopSignup.id)
        .with_for_update()
    ).all()
    for signup in signups:
        previous = signup.move("cancelled")
        if previous == "confirmed":
            workshop.taken = max(workshop.taken - 1, 0)
        if previous in ("confirmed", "waitlisted"):
            registration = session.get_one(Registration, signup.registration_id)
            publish_workshop(
                session, signup, registration, listing, workshop, previous=previous, reason=SESSION_CANCELLED
            )


def sessions_of(session: Session, event_id: str, *, workshops_only: bool = False) -> list[ProgrammeSession]:
    query = select(ProgrammeSession).where(ProgrammeSession.event_id == event_id)
    if workshops_only:
        query = query.where(ProgrammeSession.requires_signup.is_(True), ProgrammeSession.kind == "session")
    return list(session.scalars(query.order_by(ProgrammeSession.starts_at, ProgrammeSession.id)))
