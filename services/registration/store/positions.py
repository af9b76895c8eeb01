"""Positions in a waiting line: FIFO by the moment one joined it, ties broken by id.
The counts are built once (they run on every registration and page view)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from ..models import Registration, WorkshopSignup


def _ahead(model):
    queued_at: BindParameter[Any] = bindparam("queued_at")
    row_id: BindParameter[Any] = bindparam("id")
    return (model.queued_at < queued_at) | ((model.queued_at == queued_at) & (model.id < row_id))


# The state as a literal, not a parameter: the planners then match ix_registrations_waiting's predicate.
_IS_WAITING = Registration.status == literal_column("'waitlisted'")
_WAITING = (Registration.event_id == bindparam("event_id")) & _IS_WAITING
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


def waitlist_positions(session: Session, event_id: str, registration_ids: Collection[str]) -> dict[str, int]:
    """The event positions of those among `registration_ids` who wait, in one
    window query (a page or an export batch; the others are absent). Equal to
    `waitlist_position` row by row: the same line, the same order."""
    if not registration_ids:
        return {}
    line = (
        select(
            Registration.id.label("id"),
            func.row_number().over(order_by=(Registration.queued_at, Registration.id)).label("position"),
        )
        .where(Registration.event_id == event_id, _IS_WAITING)
        .subquery()
    )
    ids = list(registration_ids)
    return {
        row_id: int(position)
        for row_id, position in session.execute(select(line.c.id, line.c.position).where(line.c.id.in_(ids)))
    }


def category_positions(session: Session, event_id: str, registration_ids: Collection[str]) -> dict[str, int]:
    """As `waitlist_positions`, for the places in each category's line (`category_position`)."""
    if not registration_ids:
        return {}
    line = (
        select(
            Registration.id.label("id"),
            func.row_number()
            .over(partition_by=Registration.category_id, order_by=(Registration.queued_at, Registration.id))
            .label("position"),
        )
        .where(Registration.event_id == event_id, _IS_WAITING, Registration.category_id.is_not(None))
        .subquery()
    )
    ids = list(registration_ids)
    return {
        row_id: int(position)
        for row_id, position in session.execute(select(line.c.id, line.c.position).where(line.c.id.in_(ids)))
    }
