"""Every change leaves its event in the outbox, in the caller's transaction.
The payloads carry what notifications needs without calling back."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.messaging import add_event

from .models import Category, Listing, ProgrammeSession, Registration, WorkshopSignup
from .store.event_read import ListingAtGate
from .store.positions import waitlist_position, workshop_position


def event_summary(listing: Listing | ListingAtGate) -> dict:
    return {
        "event_id": listing.id,
        "slug": listing.slug,
        "title": {"it": listing.title_it, "en": listing.title_en},
        "starts_at": listing.starts_at,
        "ends_at": listing.ends_at,
        "timezone": listing.timezone,
        "venue": listing.venue,
        "url": listing.url,
        "revision": listing.revision,
    }


def participant_of(registration: Registration) -> dict:
    return {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "role": registration.role,
        "locale": registration.locale,
    }


def category_ref(session: Session, registration: Registration) -> dict | None:
    if registration.category_id is None:
        return None
    category = session.get_one(Category, registration.category_id)
    return {"code": category.code, "label": {"it": category.label_it, "en": category.label_en}}


UNKNOWN = object()


def publish_registration(
    session: Session,
    registration: Registration,
    listing: Listing | ListingAtGate,
    *,
    previous: str | None = None,
    manage: str | None = None,
    position=UNKNOWN,
) -> str:
    """`registration.<state>` after a move (or the creation when `previous` is None); its message id."""
    return add_event(
        session,
        *registration_event(session, registration, listing, previous=previous, manage=manage, position=position),
    )


def publish_update(session: Session, registration: Registration, listing: Listing) -> str:
    """`registration.updated`: the participant changed details or answers."""
    _, data = registration_event(session, registration, listing)
    return add_event(session, "registration.updated", data)


def registration_event(
    session: Session,
    registration: Registration,
    listing: Listing | ListingAtGate,
    *,
    previous: str | None = None,
    manage: str | None = None,
    position=UNKNOWN,
) -> tuple[str, dict]:
    """The type and data of `registration.<state>`."""
    if position is UNKNOWN:
        position = waitlist_position(session, registration)
    return f"registration.{registration.status}", {
        "registration_id": registration.id,
        "event_id": listing.id,
        "revision": registration.revision,
        "status": registration.status,
        "previous_status": previous,
        "participant": participant_of(registration),
        "event": event_summary(listing),
        "waitlist_position": position,
        "manage_url": manage,
        "reason": registration.reason,
        "category": category_ref(session, registration),
        "offer_expires_at": registration.offer_expires_at,
    }


def workshop_ref(programme_session: ProgrammeSession) -> dict:
    return {
        "session_id": programme_session.id,
        "guid": programme_session.guid,
        "title": {"it": programme_session.title_it, "en": programme_session.title_en},
        "starts_at": programme_session.starts_at,
        "ends_at": programme_session.ends_at,
        "room": programme_session.room,
        "url": programme_session.url,
        "status": programme_session.status,
    }


def publish_workshop(
    session: Session,
    signup: WorkshopSignup,
    registration: Registration,
    listing: Listing,
    programme_session: ProgrammeSession,
    *,
    previous: str | None,
    reason: str | None = None,
) -> None:
    """`workshop.<state>` for a participant's seat in one workshop."""
    add_event(
        session,
        f"workshop.{signup.status}",
        {
            "signup_id": signup.id,
            "registration_id": registration.id,
            "event_id": listing.id,
            "revision": signup.revision,
            "status": signup.status,
            "previous_status": previous,
            "participant": participant_of(registration),
            "event": event_summary(listing),
            "session": workshop_ref(programme_session),
            "waitlist_position": workshop_position(session, signup),
            "reason": reason,
        },
    )
