"""Registrations as the API and the pages show them (plain dicts)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import workshops
from .models import Registration
from .positions import category_position, waitlist_position, workshop_position
from .publishing import UNKNOWN, category_ref


def registration_view(
    session: Session, registration: Registration, *, position=UNKNOWN, workshops_chosen: bool = True
) -> dict:
    """`position` and `workshops_chosen=False` spare the queries when the caller knows them."""
    return {
        "id": registration.id,
        "event_id": registration.event_id,
        "status": registration.status,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "role": registration.role,
        "locale": registration.locale,
        "category": category_ref(session, registration),
        "answers": registration.answers or {},
        "waitlist_position": waitlist_position(session, registration) if position is UNKNOWN else position,
        "category_waitlist_position": category_position(session, registration),
        "offer_expires_at": registration.offer_expires_at,
        "reason": registration.reason,
        "workshops": workshop_views(session, registration) if workshops_chosen else [],
        "privacy_consent": {"given_at": registration.consent_at, "policy_version": registration.consent_version},
        "certified_at": registration.certified_at,
        "created_at": registration.created_at,
        "updated_at": registration.updated_at,
    }


def workshop_views(session: Session, registration: Registration) -> list[dict]:
    """The participant's workshops; `overlaps_with` names the others held at
    the same time (allowed when chosen, possible after a new release moved one)."""
    held = [
        (signup, workshop)
        for signup, workshop in workshops.signups_of(session, registration)
        if signup.status != "cancelled"
    ]
    return [
        {
            "session_id": workshop.id,
            "title": {"it": workshop.title_it, "en": workshop.title_en},
            "starts_at": workshop.starts_at,
            "ends_at": workshop.ends_at,
            "room": workshop.room,
            "status": signup.status,
            "waitlist_position": workshop_position(session, signup),
            "overlaps_with": [other.id for _, other in held if other.id != workshop.id and workshop.overlaps(other)],
        }
        for signup, workshop in held
    ]
