"""A new registration and its `registration.<state>` event, written in one
statement on PostgreSQL (a data-modifying WITH, sent straight to the driver
by shared.driver.insert_and_fetch) and in two on SQLite.
Registering is the busiest write path, and there a round trip to the
database costs more than the SQL in it. The object then joins the session
as persistent, so later changes in the same transaction are plain UPDATEs.

On PostgreSQL the same statement answers whether the event has a free seat
now, in a snapshot taken after the seat gate was passed (see gate.entering)."""

from __future__ import annotations

import functools
from typing import cast

from sqlalchemy import Insert, Select, Table, bindparam, insert, inspect, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from shared import driver
from shared.messaging import outbox_table

from ..models import Listing, Registration

REGISTRATIONS = cast(Table, Registration.__table__)  # a declarative model's table
REGISTRATION_KEYS = tuple(column.key for column in REGISTRATIONS.c)  # mapped under their column names
LISTINGS = cast(Table, Listing.__table__)
EVENT_COLUMNS = ("message_id", "routing_key", "body", "created_at")


def insert_registration(session: Session, registration: Registration, event: dict) -> bool | None:
    """Insert a new (transient) registration and the outbox row `event`
    (shared.messaging.event_row) together. On PostgreSQL, return whether the
    event has a seat free now; None on SQLite (its writers take turns)."""
    for key in inspect(registration).unloaded:
        setattr(registration, key, None)  # what is inserted for it; loaded, so never lazy-loaded after
    values = registration.__dict__
    params = {f"event_{name}": event[name] for name in EVENT_COLUMNS}
    params.update({f"registration_{key}": values[key] for key in REGISTRATION_KEYS})
    inserts, seat_free_now = _statements(outbox_table(session))  # Core statements: no ORM execution layer
    answer = driver.insert_and_fetch(session, inserts, seat_free_now, params)
    make_transient_to_detached(registration)
    session.add(registration)
    return None if answer is None else answer[0]


@functools.cache
def _statements(outbox: Table) -> tuple[tuple[Insert, Insert], Select]:
    """Built once per outbox table: ((the registration, the event), whether a seat is free)."""
    registration = insert(REGISTRATIONS).values(
        {column.key: bindparam(f"registration_{column.key}", type_=column.type) for column in REGISTRATIONS.c}
    )
    event = insert(outbox).values(
        {name: bindparam(f"event_{name}", type_=outbox.c[name].type) for name in EVENT_COLUMNS}
    )
    listing = LISTINGS.c
    seat_free_now = select(or_(listing.capacity.is_(None), listing.confirmed_count < listing.capacity)).where(
        listing.id == bindparam("registration_event_id")
    )
    return (registration, event), seat_free_now
