"""Places in line: FIFO by the moment one joined it, ties broken by id."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Registration, WorkshopSignup


def _ahead(model, row):
    return (model.queued_at < row.queued_at) | ((model.queued_at == row.queued_at) & (model.id < row.id))


def waitlist_position(session: Session, registration: Registration) -> int | None:
    """1 = next in line for the event."""
    if registration.status != "waitlisted":
        return None
    ahead = _ahead(Registration, registration)
    return 1 + session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == registration.event_id, Registration.status == "waitlisted", ahead))


def category_position(session: Session, registration: Registration) -> int | None:
    """1 = next in line among those waiting in the same category."""
    if registration.status != "waitlisted" or registration.category_id is None:
        return None
    ahead = _ahead(Registration, registration)
    return 1 + session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == registration.event_id, Registration.status == "waitlisted",
        Registration.category_id == registration.category_id, ahead))


def workshop_position(session: Session, signup: WorkshopSignup) -> int | None:
    if signup.status != "waitlisted":
        return None
    ahead = _ahead(WorkshopSignup, signup)
    return 1 + session.scalar(select(func.count()).select_from(WorkshopSignup).where(
        WorkshopSignup.session_id == signup.session_id, WorkshopSignup.status == "waitlisted", ahead))
