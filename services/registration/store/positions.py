"""Positions in a waiting line: FIFO by the moment one joined it, ties broken by id.
The counts are built once (they run on every registration and page view)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from ..models import Registration, WorkshopSignup


def _ahead(model):
    queued_at: BindParameter[Any] = bindparam("queued_at")
    row_id: BindParameter[Any] = bindparam("id")
    return (model.queued_at < queued_at) | ((model.queued_at == queued_at) & (model.id < row_id))


_WAITING = (Registration.event_id == bindparam("event_id")) & (Registration.status == "waitlisted")
_AHEAD_IN_EVENT = select(func.count()).select_from(Registration).where(_WAITING, _ahead(Registration))
_AHEAD_IN_CATEGORY = (
    select(func.count())
    .select_from(Registration)
    .where(_WAITING, Registration.category_id == bindparam("category_id"), _ahead(Registration))
)
_AHEAD_IN_WORKSHOP = (
    select(func.count())
    .select_from(WorkshopSignup)
    .where(
        WorkshopSignup.session_id == bindparam("session_id"),
        WorkshopSignup.status == "waitlisted",
        _ahead(WorkshopSignup),
    )
)


def waiting_ahead_in_event():
    """How many wait ahead of `queued_at`/`id` in `event_id`, as a column to read
    with the event (a new registration's place in line, without a round trip)."""
    return _AHEAD_IN_EVENT.scalar_subquery().label("waiting_ahead")


def waitlist_position(session: Session, registration: Registration) -> int | None:
    """1 = next in line for the event."""
    if registration.status != "waitlisted":
        return None
    return 1 + _count(
        session,
        _AHEAD_IN_EVENT,
        {"event_id": registration.event_id, "queued_at": registration.queued_at, "id": registration.id},
    )


def category_position(session: Session, registration: Registration) -> int | None:
    """1 = next in line among those waiting in the same category."""
    if registration.status != "waitlisted" or registration.category_id is None:
        return None
    return 1 + _count(
        session,
        _AHEAD_IN_CATEGORY,
        {
            "event_id": registration.event_id,
            "category_id": registration.category_id,
            "queued_at": registration.queued_at,
            "id": registration.id,
        },
    )


def workshop_position(session: Session, signup: WorkshopSignup) -> int | None:
    if signup.status != "waitlisted":
        return None
    return 1 + _count(
        session, _AHEAD_IN_WORKSHOP, {"session_id": signup.session_id, "queued_at": signup.queued_at, "id": signup.id}
    )


def _count(session: Session, statement, params: dict) -> int:
    return session.scalar(statement, params) or 0
