"""The capacity guards: a seat, a category place, a choice option or a
workshop seat is taken by one guarded UPDATE, so concurrent requests can never
confirm more people than there are places. Tests swap in unguarded versions
(`Guards`) to prove their harness can see an overbooking race."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, bindparam, or_, update
from sqlalchemy.orm import Session

from shared import driver

from ..models import Category, FieldOption, Listing, ProgrammeSession

# Each limited counter: (its model) -> (limit column, counter column).
COUNTERS = {
    Category: ("quota", "taken"),
    FieldOption: ("limit", "taken"),
    ProgrammeSession: ("seat_limit", "taken"),
    Listing: ("capacity", "confirmed_count"),
}


def claim_seat(session: Session, event_id: str) -> bool:
    """Take a seat in the event if one is left; False when it is full."""
    return claim_quota(session, Listing, event_id)


def release_seat(session: Session, event_id: str) -> None:
    release_quota(session, Listing, event_id)


def claim_quota(session: Session, model, key) -> bool:
    """Take one place of a limited counter (a None limit is unlimited)."""
    claim, _ = _statements(model)
    return _row_count(session, claim, key) == 1


def release_quota(session: Session, model, key) -> None:
    _, release = _statements(model)
    _row_count(session, release, key)


def _row_count(session: Session, statement, key) -> int:
    """After flushing what the ORM would flush first (a limit changed in this
    transaction must count). Through shared.driver: on PostgreSQL straight to
    the driver (a claim holds its row locked until the commit: the less work
    after it, the better); the ORM's bulk-update layer adds nothing to a plain
    counter UPDATE."""
    session.flush()
    return driver.row_count(session, statement, {"counter_id": key})


@functools.cache
def _statements(model) -> tuple:
    """(claim, release) of one kind of counter, built once: registering is the hot path."""
    limit_name, taken_name = COUNTERS[model]
    limit, taken = getattr(model, limit_name), getattr(model, taken_name)
    key: BindParameter[Any] = bindparam("counter_id")
    claim = (
        update(model).where(model.id == key).where(or_(limit.is_(None), taken < limit)).values({taken_name: taken + 1})
    )
    release = update(model).where(model.id == key).where(taken > 0).values({taken_name: taken - 1})
    return claim, release


@dataclass(frozen=True)
class Guards:
    """The claims one use case makes: the event seat, and every other limited counter."""

    seat: Callable[[Session, str], bool] = claim_seat
    quota: Callable[[Session, type, object], bool] = claim_quota


GUARDED = Guards()
