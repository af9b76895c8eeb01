"""Workshops: sessions of a released schedule that require sign-up, each with
its own seats and FIFO waiting list. A registration's choices stay
`requested` until it holds a confirmed seat in the event; then each is
`confirmed` or `waitlisted`. Two chosen workshops may not overlap in time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, Unprocessable

from .models import Listing, ProgrammeSession, Registration, WorkshopSignup
from .publishing import publish_workshop
from .store.counters import GUARDED, Guards, release_quota

MAX_WORKSHOPS = 30


class NotAWorkshop(Unprocessable):
    """A chosen session is not an open workshop of this event."""


class WorkshopsOverlap(Unprocessable):
    """Two chosen workshops take place at the same time."""


def signups_of(session: Session, registration: Registration) -> list[tuple[WorkshopSignup, ProgrammeSession]]:
    rows = session.execute(
        select(WorkshopSignup, ProgrammeSession)
        .join(ProgrammeSession, ProgrammeSession.id == WorkshopSignup.session_id)
        .where(WorkshopSignup.registration_id == registration.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ).all()
    return [(signup, workshop) for signup, workshop in rows]


def choose(
    session: Session,
    registration: Registration,
    listing: Listing,
    wanted_ids: list[int],
    *,
    guards: Guards = GUARDED,
    now: dt.datetime | None = None,
) -> None:
    """Make the registration's workshop choices exactly `wanted_ids`."""
    if not registration.active:
        raise Conflict(f"a {registration.status} registration cannot choose workshops", field="status")
    wanted = list(dict.fromkeys(wanted_ids))
    chosen = _open_workshops(session, listing, wanted)
    _check_overlap(chosen)
    current = {signup.session_id: (signup, workshop) for signup, workshop in signups_of(session, registration)}
    for session_id, (signup, workshop) in sorted(current.items()):
        if signup.status != "cancelled" and session_id not in wanted:
            drop(session, signup, workshop, registration, listing, guards=guards)
    for workshop in sorted(chosen, key=lambda w: w.id):
        earlier = current.get(workshop.id, (None, None))[0]
        if earlier is None or earlier.status == "cancelled":
            _request(session, registration, listing, workshop, earlier, guards, now or utcnow())


def _open_workshops(session: Session, listing: Listing, wanted: list[int]) -> list[ProgrammeSession]:
    if len(wanted) > MAX_WORKSHOPS:
        raise Unprocessable(f"at most {MAX_WORKSHOPS} workshops", field="workshops")
    found = {w.id: w for w in session.scalars(select(ProgrammeSession).where(ProgrammeSession.id.in_(wanted)))}
    bad = [
        i
        for i in wanted
        if i not in found
        or found[i].event_id != listing.id
        or not found[i].is_workshop
        or found[i].status == "cancelled"
    ]
    if bad:
        raise NotAWorkshop(f"not an open workshop of this event: {', '.join(map(str, bad))}", field="workshops")
    return [found[i] for i in wanted]


def _check_overlap(chosen: list[ProgrammeSession]) -> None:
    ordered = sorted(chosen, key=lambda w: (w.starts_at, w.ends_at))
    for first, second in zip(ordered, ordered[1:], strict=False):
        if first.overlaps(second):
            raise WorkshopsOverlap(f"{first.title_it!r} and {second.title_it!r} overlap in time", field="workshops")


def _request(session, registration, listing, workshop, signup, guards, now) -> None:
    if signup is None:
        signup = WorkshopSignup(
            registration_id=registration.id, session_id=workshop.id, status="requested", queued_at=now, updated_at=now
        )
        session.add(signup)
        session.flush()
    else:
        signup.move("requested", now)
        signup.queued_at = now
    if registration.status == "confirmed":
        _seat(session, signup, workshop, registration, listing, guards)


def _seat(session, signup, workshop, registration, listing, guards) -> None:
    """A confirmed participant's requested workshop: a seat, or a place in its line."""
    taken = guards.quota(session, ProgrammeSession, workshop.id)
    if not taken:  # hold the full row, then try once more
        session.execute(
            select(ProgrammeSession.id).where(ProgrammeSession.id == workshop.id).with_for_update(key_share=True)
        )
        taken = guards.quota(session, ProgrammeSession, workshop.id)
    previous = signup.move("confirmed" if taken else "waitlisted")
    session.flush()
    publish_workshop(session, signup, registration, listing, workshop, previous=previous)


def on_confirmed(session: Session, registration: Registration, listing: Listing, guards: Guards = GUARDED) -> None:
    """The registration now holds a confirmed seat: seat its requested workshops."""
    for signup, workshop in sorted(signups_of(session, registration), key=lambda pair: pair[1].id):
        if signup.status == "requested":
            _seat(session, signup, workshop, registration, listing, guards)


def drop(
    session, signup, workshop, registration, listing, *, reason: str | None = None, guards: Guards = GUARDED
) -> None:
    previous = signup.move("cancelled")
    if previous in ("confirmed", "waitlisted"):
        publish_workshop(session, signup, registration, listing, workshop, previous=previous, reason=reason)
    if previous == "confirmed":
        release_quota(session, ProgrammeSession, workshop.id)
        promote(session, listing, workshop, guards)


def release_all(session: Session, registration: Registration, listing: Listing, reason: str | None = None) -> None:
    """The registration left: every workshop seat it held goes to the next in line."""
    for signup, workshop in signups_of(session, registration):
        if signup.status != "cancelled":
            drop(session, signup, workshop, registration, listing, reason=reason)


def promote(session: Session, listing: Listing, workshop: ProgrammeSession, guards: Guards = GUARDED) -> bool:
    """Give a free seat of the workshop to the first confirmed participant in its line."""
    candidate = session.scalar(
        select(WorkshopSignup)
        .join(Registration, Registration.id == WorkshopSignup.registration_id)
        .where(
            WorkshopSignup.session_id == workshop.id,
            WorkshopSignup.status == "waitlisted",
            Registration.status == "confirmed",
        )
        .order_by(WorkshopSignup.queued_at, WorkshopSignup.id)
        .limit(1)
        .with_for_update(of=WorkshopSignup, skip_locked=True)
    )
    if candidate is None or not guards.quota(session, ProgrammeSession, workshop.id):
        return False
    previous = candidate.move("confirmed")
    registration = session.get_one(Registration, candidate.registration_id)
    publish_workshop(session, candidate, registration, listing, workshop, previous=previous)
    return True
