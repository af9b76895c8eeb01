"""The seat gate of an event. Registrations and approvals pass it together
(a shared lock); whatever frees places (a cancellation, a rejection, an
expired offer, an erasure, a raised capacity or quota) passes it alone (an
exclusive lock). So a registration that reads the event as full is right
until it commits: no place can free meanwhile, and the transaction that
frees one waits for it and then promotes it from the line. Waitlisted
registrations therefore take no row lock and run in parallel.

PostgreSQL transaction-scoped advisory locks; SQLite's BEGIN IMMEDIATE
already serialises every writer. Whoever frees places must pass the gate
before it changes any registration or listing row (else a registration
waiting on that row while holding the gate would deadlock with it)."""

from __future__ import annotations

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.orm import Session

from shared.db import is_postgres

_KEY = func.hashtextextended(bindparam("key", type_=String), 0)
_SHARED = select(func.pg_advisory_xact_lock_shared(_KEY))  # built once: registering is the hot path
_EXCLUSIVE = select(func.pg_advisory_xact_lock(_KEY))


def params(event_id: str) -> dict:
    """The bound parameters that name an event's gate."""
    return {"key": f"eventi.seats:{event_id}"}


def takes_locks(session: Session) -> bool:
    """Whether passing the gate takes a lock: on PostgreSQL. SQLite's BEGIN
    IMMEDIATE already makes every writer wait for the one before."""
    return is_postgres(session.get_bind())


def entering():
    """The shared lock as a column of the statement that reads the event, to
    save a round trip: `params(event_id)` names the event. That statement's
    snapshot may predate a place freed while it waited for the lock, so its
    caller must look again in its next statement (registering.register does)."""
    return func.pg_advisory_xact_lock_shared(_KEY).label("gate")


def enter(session: Session, event_id: str) -> None:
    """Shared: places may be taken, none can free until we commit."""
    if takes_locks(session):
        session.execute(_SHARED, params(event_id))


def close(session: Session, event_id: str) -> None:
    """Exclusive: we free places; registrations in flight finish first, new ones wait for us."""
    if takes_locks(session):
        session.execute(_EXCLUSIVE, params(event_id))
