"""Registration use cases. Each takes a session and plain data, never commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, NotFound
from shared.messaging import add_event

from .models import Listing, Registration
from .seats import claim_seat, release_seat


class RegistrationClosed(Conflict):
    """The event does not take registrations now."""


class AlreadyRegistered(Conflict):
    """This e-mail already holds a registration for the event."""


@dataclass
class Issued:
    registration: Registration
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def manage_url(base_url: str, token: str) -> str:
    return f"{base_url}/registration/r/{token}"


def find_listing(session: Session, slug: str) -> Listing:
    listing = session.scalar(select(Listing).where(Listing.slug == slug))
    if listing is None:
        raise NotFound(f"no event {slug!r} open for registration", field="slug")
    return listing


def register(session: Session, slug: str, participant: dict, *, base_url: str,
             claim: Callable[[Session, str], bool] = claim_seat, now: dt.datetime | None = None) -> Issued:
    """Confirm while seats remain, waitlist after. `claim` is the capacity
    guard; tests swap in an unguarded one to prove they can see overbooking."""
    listing = find_listing(session, slug)
    if not listing.is_open(now or utcnow()):
        raise RegistrationClosed("registration for this event is closed", field="slug")
    email = participant["email"].strip().lower()
    _serialise_same_email(session, listing.id, email)
    if session.scalar(select(Registration.id).where(Registration.event_id == listing.id,
                                                    Registration.email == email,
                                                    Registration.status != "cancelled")):
        raise AlreadyRegistered("this e-mail is already registered for the event", field="email")
    token = secrets.token_urlsafe(32)  # 256 random bits; only the hash is stored
    status = "confirmed" if _claim_or_queue(session, listing.id, claim) else "waitlisted"
    registration = Registration(event_id=listing.id, status=status, token_hash=token_hash(token),
                                **{**participant, "email": email})
    session.add(registration)
    session.flush()
    _publish(session, registration, listing, manage=manage_url(base_url, token))
    return Issued(registration, token)


def _serialise_same_email(session: Session, event_id: str, email: str) -> None:
    """Fix: two submits of one e-mail at once both passed the duplicate check
    and took two seats (seen on PostgreSQL: 8 parallel submits, 8 confirmed).
    A transaction-scoped advisory lock per (event, e-mail) makes the second
    wait for the first and then see it. SQLite's BEGIN IMMEDIATE already
    serialises writers. (A partial unique index would also do; it needs a migration.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"{event_id}:{email}", 0))))


def _claim_or_queue(session: Session, event_id: str, claim: Callable[[Session, str], bool]) -> bool:
    """Fix: a cancellation committing between our failed claim and our commit
    looked for someone waitlisted, could not see us yet, and left its seat
    empty while we sat in the queue. Before queueing, hold the listing row
    (FOR NO KEY UPDATE, like the claim's own UPDATE) until we commit: a
    cancellation then waits for us and promotes us, and one that committed
    first has left a seat that the second claim takes."""
    if claim(session, event_id):
        return True
    session.execute(select(Listing.id).where(Listing.id == event_id).with_for_update(key_share=True))
    return claim(session, event_id)


def by_token(session: Session, token: str, *, for_update: bool = False) -> Registration:
    query = select(Registration).where(Registration.token_hash == token_hash(token))
    registration = session.scalar(query.with_for_update() if for_update else query)
    if registration is None:
        raise NotFound("no registration behind this link", field="token")
    return registration


def cancel(session: Session, token: str) -> Registration:
    """Cancel through the secret link; a freed seat goes to the next in line."""
    registration = by_token(session, token, for_update=True)
    listing = session.get(Listing, registration.event_id)
    previous = registration.cancel()
    _publish(session, registration, listing, previous=previous)
    if previous == "confirmed":
        release_seat(session, listing.id)
        promote_next(session, listing)
    return registration


def promote_next(session: Session, listing: Listing) -> Registration | None:
    """Confirm the first waitlisted person if a seat is free."""
    first = session.scalar(
        select(Registration).where(Registration.event_id == listing.id, Registration.status == "waitlisted")
        .order_by(Registration.queued_at, Registration.id).limit(1).with_for_update(skip_locked=True)
    )
    if first is None or not claim_seat(session, listing.id):
        return None
    previous = first.confirm()
    _publish(session, first, listing, previous=previous)
    return first


def waitlist_position(session: Session, registration: Registration) -> int | None:
    if registration.status != "waitlisted":
        return None
    ahead = session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == registration.event_id, Registration.status == "waitlisted",
        (Registration.queued_at < registration.queued_at)
        | ((Registration.queued_at == registration.queued_at) & (Registration.id < registration.id))))
    return ahead + 1


def _publish(session: Session, registration: Registration, listing: Listing, *,
             previous: str | None = None, manage: str | None = None) -> None:
    add_event(session, f"registration.{registration.status}", {
        "registration_id": registration.id, "event_id": listing.id, "revision": registration.revision,
        "status": registration.status, "previous_status": previous,
        "participant": {"first_name": registration.first_name, "last_name": registration.last_name,
                        "email": registration.email, "organisation": registration.organisation,
                        "locale": registration.locale},
        "event": {"event_id": listing.id, "slug": listing.slug,
                  "title": {"it": listing.title_it, "en": listing.title_en},
                  "starts_at": listing.starts_at, "ends_at": listing.ends_at, "timezone": listing.timezone,
                  "venue": listing.venue, "url": listing.url, "revision": listing.revision},
        "waitlist_position": waitlist_position(session, registration),
        "manage_url": manage,
    })
