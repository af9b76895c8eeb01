"""A new registration and its `registration.<state>` event, written in one
statement on PostgreSQL (a data-modifying WITH) and in two on SQLite.
Registering is the busiest write path, and there a round trip to the
database costs more than the SQL in it. The object then joins the session
as persistent, so later changes in the same transaction are plain UPDATEs.

On PostgreSQL the same statement answers whether the event has a free seat
now, in a snapshot taken after the seat gate was passed (see gate.entering)."""

from __future__ import annotations

import functools

from sqlalchemy import Insert, Select, Table, bindparam, insert, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from shared.db import is_postgres
from shared.messaging import outbox_table

from .models import Listing, Registration

REGISTRATIONS: Table = Registration.__table__
EVENT_COLUMNS = ("message_id", "routing_key", "body", "created_at")


def insert_registration(session: Session, registration: Registration, event: dict) -> bool | None:
    """Insert a new (transient) registration and the outbox row `event`
    (shared.messaging.event_row) together. On PostgreSQL, return whether the
    event has a seat free now; None on SQLite (its writers take turns)."""
    params = {f"event_{name}": event[name] for name in EVENT_COLUMNS}
    for column in REGISTRATIONS.c:
        value = getattr(registration, column.key)
        setattr(registration, column.key, value)  # every column loaded: no lazy load after
        params[f"registration_{column.key}"] = value
    both, registration_only, event_only = _statements(outbox_table(session))
    seat_free_now = None
    if is_postgres(session.get_bind()):
        seat_free_now = session.execute(both, params).scalar_one()
    else:  # SQLite has no INSERT inside WITH
        session.execute(registration_only, params)
        session.execute(event_only, params)
    make_transient_to_detached(registration)
    session.add(registration)
    return seat_free_now


@functools.cache
def _statements(outbox: Table) -> tuple[Select, Insert, Insert]:
    """Built once per outbox table: (both in one, the registration, the event)."""
    registration = insert(REGISTRATIONS).values(
        {column.key: bindparam(f"registration_{column.key}", type_=column.type) for column in REGISTRATIONS.c})
    event = insert(outbox).values(
        {name: bindparam(f"event_{name}", type_=outbox.c[name].type) for name in EVENT_COLUMNS})
    seat_free_now = (select(or_(Listing.capacity.is_(None), Listing.confirmed_count < Listing.capacity))
                     .where(Listing.id == bindparam("registration_event_id")))
    both = seat_free_now.add_cte(registration.cte("registered")).add_cte(event.cte("queued"))
    return both, registration, event
