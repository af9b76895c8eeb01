"""Registering and cancelling: the participant's core use cases. Each takes a
session and plain data and never commits. (The other use cases live in their
own modules: forms, workshops, waitlist, offers, approval, checkin,
attendance, exports, privacy.)"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, NotFound
from shared.messaging import event_row

from . import forms, workshops
from .links import by_token, manage_url, new_token, token_hash
from .models import Listing, Outbox, Registration
from .places import Placed, take_place
from .publishing import publish_registration, registration_event
from .store import event_read, gate
from .store.counters import Guards, claim_quota, claim_seat
from .store.event_read import ListingAtGate
from .store.positions import waitlist_position
from .store.registration_insert import insert_registration
from .waitlist import depart, promote_next

__all__ = [
    "AlreadyRegistered",
    "Issued",
    "Listing",
    "RegistrationClosed",
    "by_token",
    "cancel",
    "claim_seat",
    "find_listing",
    "manage_url",
    "promote_next",
    "register",
    "token_hash",
    "waitlist_position",
]

PERSONAL = {"first_name": "", "last_name": "", "organisation": "", "role": "", "locale": "it"}
ONE_ACTIVE_PER_EMAIL = "uq_registrations_active_email"


class RegistrationClosed(Conflict):
    """The event does not take registrations now."""


class AlreadyRegistered(Conflict):
    """This e-mail already holds a registration for the event."""


@dataclass
class Issued:
    registration: Registration
    token: str
    position: int | None = None


def find_listing(session: Session, slug: str) -> Listing:
    listing = session.scalar(select(Listing).where(Listing.slug == slug))
    if listing is None:
        raise NotFound(f"no event {slug!r} open for registration", field="slug")
    return listing


def register(
    session: Session,
    slug: str,
    participant: dict,
    *,
    base_url: str,
    claim: Callable[[Session, str], bool] = claim_seat,
    claim_quota=claim_quota,
    now: dt.datetime | None = None,
) -> Issued:
    """Confirmed while places remain, waitlisted after; with approval, pending
    (holding a place if one is free). `claim` and `claim_quota` are the
    guards; tests swap in unguarded ones to prove they can see overbooking.

    The rows and the event are written first and the seat is claimed last,
    so the event's seat row stays locked only until the commit."""
    now, guards = now or utcnow(), Guards(claim, claim_quota)
    registration_id = str(uuid.uuid4())
    listing, waiting_ahead = _entered_listing(session, slug, queued_at=now, registration_id=registration_id)
    if not listing.is_open(now):
        raise RegistrationClosed("registration for this event is closed", field="slug")
    form = forms.snapshot(session, listing)
    details = forms.validate(form, listing, participant, now)
    forms.take_options(session, form, details.option_ids, guards=guards)
    token = new_token()  # 256 random bits; only the hash is stored
    registration = Registration(
        id=registration_id,
        event_id=listing.id,
        email=participant["email"].strip().lower(),
        token_hash=token_hash(token),
        category_id=details.category_id,
        answers=details.answers,
        consent_at=details.consent_at,
        consent_version=details.consent_version,
        revision=1,
        join_link_revision=0,
        holds_seat=False,
        queued_at=now,
        created_at=now,
        updated_at=now,
        **{k: participant.get(k, v) for k, v in PERSONAL.items()},
    )
    seat_free = listing.seats_left() != 0
    registration.status = "pending" if listing.approval_required else "confirmed" if seat_free else "waitlisted"
    registration.holds_seat = seat_free  # written with the row; undone below if the claim fails
    position = 1 + waiting_ahead if registration.status == "waitlisted" else None
    manage = manage_url(base_url, token)
    message_id, seat_free_now = _insert(session, registration, listing, manage, position)
    if not seat_free and seat_free_now:  # a place freed while we waited at the gate; now none can until we commit
        if take_place(session, registration, guards) is Placed.YES and registration.status == "waitlisted":
            _confirm_instead(session, registration, listing, message_id, manage)
            position = None
    elif seat_free and take_place(session, registration, guards) is not Placed.YES:
        registration.holds_seat = False
        if not listing.approval_required:
            position = _waitlist_instead(session, registration, listing, message_id, manage)
    if participant.get("workshops"):  # workshops need the event's own policies: the mapped Listing
        workshops.choose(
            session,
            registration,
            session.get_one(Listing, listing.id),
            participant["workshops"],
            guards=guards,
            now=now,
        )
    return Issued(registration, token, position)


def _entered_listing(
    session: Session, slug: str, *, queued_at: dt.datetime, registration_id: str
) -> tuple[ListingAtGate, int]:
    """The event read at its seat gate, and how many wait ahead (event_read.enter)."""
    entered = event_read.enter(session, slug, queued_at=queued_at, registration_id=registration_id)
    if entered is None:
        raise NotFound(f"no event {slug!r} open for registration", field="slug")
    return entered


def _insert(
    session: Session, registration: Registration, listing: ListingAtGate, manage: str, position: int | None
) -> tuple[str, bool | None]:
    """The registration and its event; (the event's message id, whether a seat is free now)."""
    event = event_row(session, *registration_event(session, registration, listing, manage=manage, position=position))
    try:
        seat_free_now = insert_registration(session, registration, event)
    except IntegrityError as exc:
        if ONE_ACTIVE_PER_EMAIL in str(exc.orig) or "registrations.email" in str(exc.orig):
            raise AlreadyRegistered("this e-mail is already registered for the event", field="email") from None
        raise
    return event["message_id"], seat_free_now


def _waitlist_instead(
    session: Session, registration: Registration, listing: ListingAtGate, message_id: str, manage: str
) -> int | None:
    """The last seats went to others between our read and our claim: the
    registration waits in line, and its event says so instead."""
    session.execute(delete(Outbox).where(Outbox.message_id == message_id))
    registration.status = "waitlisted"
    position = waitlist_position(session, registration)
    publish_registration(session, registration, listing, manage=manage, position=position)
    return position


def _confirm_instead(
    session: Session, registration: Registration, listing: ListingAtGate, message_id: str, manage: str
) -> None:
    """A seat freed while we waited at the gate, and we took it: the
    registration is confirmed, and its event says so instead."""
    session.execute(delete(Outbox).where(Outbox.message_id == message_id))
    registration.status = "confirmed"
    publish_registration(session, registration, listing, manage=manage, position=None)


def cancel(session: Session, token: str, *, base_url: str, reason: str | None = None) -> Registration:
    """Cancel through the secret link; a freed seat goes to the next in line
    (an offer's link starts with `base_url`)."""
    registration = by_token(session, token, for_update=True)
    return cancel_registration(session, registration, base_url=base_url, reason=reason)


def cancel_registration(
    session: Session, registration: Registration, *, base_url: str, reason: str | None = None
) -> Registration:
    listing = session.get_one(Listing, registration.event_id)
    gate.close(session, listing.id)
    previous = registration.cancel(reason)
    publish_registration(session, registration, listing, previous=previous)
    depart(session, registration, listing, reason=reason, base_url=base_url)
    return registration
