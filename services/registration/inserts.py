"""A new registration and its `registration.<state>` event, written in one
statement on PostgreSQL (a data-modifying WITH) and in two on SQLite.
Registering is the busiest write path, and there a round trip to the
database costs more than the SQL in it. The object then joins the session
as persistent, so later changes in the same transaction are plain UPDATEs."""

from __future__ import annotations

import functools

from sqlalchemy import Insert, Table, bindparam, insert
from sqlalchemy.orm import Session, make_transient_to_detached

from shared.db import is_postgres
from shared.messaging import outbox_table

from .models import Registration

REGISTRATIONS: Table = Registration.__table__
EVENT_COLUMNS = ("message_id", "routing_key", "body", "created_at")


def insert_registration(session: Session, registration: Registration, event: dict) -> None:
    """Insert a new (transient) registration and the outbox row `event`
    (shared.messaging.event_row) together."""
    params = {f"event_{name}": event[name] for name in EVENT_COLUMNS}
    for column in REGISTRATIONS.c:
        value = getattr(registration, column.key)
        setattr(registration, column.key, value)  # every column loaded: no lazy load after
        params[f"registration_{column.key}"] = value
    both, registration_only, event_only = _statements(outbox_table(session))
    if is_postgres(session.get_bind()):
        session.execute(both, params)
    else:  # SQLite has no INSERT inside WITH
        session.execute(registration_only, params)
        session.execute(event_only, params)
    make_transient_to_detached(registration)
    session.add(registration)


@functools.cache
def _statements(outbox: Table) -> tuple[Insert, Insert, Insert]:
    """Built once per outbox table: (both in one, the registration, the event)."""
    registration = insert(REGISTRATIONS).values(
        {column.key: bindparam(f"registration_{column.key}", type_=column.type) for column in REGISTRATIONS.c})
    event = insert(outbox).values(
        {name: bindparam(f"event_{name}", type_=outbox.c[name].type) for name in EVENT_COLUMNS})
    return event.add_cte(registration.cte("registered")), registration, event
