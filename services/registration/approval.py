"""Moderated events: organisers approve or reject pending registrations, one
or many at once; a rejection's reason travels to the participant in
`registration.rejected`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from shared.errors import Conflict, DomainError, NotFound

from .models import Listing, Registration
from .places import Placed, take_place
from .publishing import publish_registration
from .store import gate
from .store.counters import GUARDED, Guards
from .waitlist import confirm, depart


@dataclass
class Outcome:
    registration_id: str
    status: str | None = None
    error: str | None = None


def approve(session: Session, listing: Listing, registration_ids: list[str], guards: Guards = GUARDED) -> list[Outcome]:
    """Confirm each pending registration (it keeps the place it held, or takes a
    free one), or put it in line when the event is full."""
    gate.enter(session, listing.id)
    return [
        _each(session, listing, rid, lambda reg: _approve_one(session, listing, reg, guards))
        for rid in sorted(set(registration_ids))
    ]


def reject(
    session: Session, listing: Listing, registration_ids: list[str], reason: str | None, *, base_url: str
) -> list[Outcome]:
    """Reject each pending registration; a place it held goes to the next in
    line (an offer's link starts with `base_url`)."""
    gate.close(session, listing.id)
    return [
        _each(session, listing, rid, lambda reg: _reject_one(session, listing, reg, reason, base_url))
        for rid in sorted(set(registration_ids))
    ]


def _each(session: Session, listing: Listing, registration_id: str, action) -> Outcome:
    """One item of a batch: its own SAVEPOINT, so a refused item leaves the others done."""
    try:
        with session.begin_nested():
            registration = session.get(Registration, registration_id, with_for_update=True)
            if registration is None or registration.event_id != listing.id:
                raise NotFound("no such registration for this event", field="registration_ids")
            action(registration)
        return Outcome(registration_id, status=registration.status)
    except DomainError as exc:
        return Outcome(registration_id, error=exc.message)


def _approve_one(session: Session, listing: Listing, registration: Registration, guards: Guards) -> None:
    _require_pending(registration)
    if registration.holds_seat or take_place(session, registration, guards) is Placed.YES:
        confirm(session, registration, listing, guards)
    else:
        previous = registration.waitlist()
        publish_registration(session, registration, listing, previous=previous)


def _reject_one(
    session: Session, listing: Listing, registration: Registration, reason: str | None, base_url: str
) -> None:
    _require_pending(registration)
    previous = registration.reject(reason)
    publish_registration(session, registration, listing, previous=previous)
    depart(session, registration, listing, base_url=base_url, reason=reason)


def _require_pending(registration: Registration) -> None:
    if registration.status != "pending":
        raise Conflict(f"a {registration.status} registration is not awaiting approval", field="status")
