"""Transactional outbox: `add_event` writes the event next to the business
rows, in the caller's transaction. Nothing is sent until that commits."""

from __future__ import annotations

import functools
import json

from sqlalchemy import Insert, Table, insert
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.envelope import build_envelope


def add_event(
    session: Session, event_type: str, data: dict, *, version: int | None = None, correlation_id: str | None = None
) -> str:
    """Queue one event for publication; returns its message id."""
    row = event_row(session, event_type, data, version=version, correlation_id=correlation_id)
    # A Core INSERT, sent now: the row is as transactional as a flushed
    # object, without the unit of work's cost on the busiest write paths.
    session.execute(_insert_into(outbox_table(session)), row)
    return row["message_id"]


def event_row(
    session: Session, event_type: str, data: dict, *, version: int | None = None, correlation_id: str | None = None
) -> dict:
    """The outbox row of one event, for a caller that inserts it together with
    its own rows in one statement. The relay checks the body against the
    event's schema before publishing it (and holds it back if it fails)."""
    service = session.info.get("service")
    if session.info.get("outbox_model") is None or service is None:
        raise RuntimeError("session was not made by make_session_factory(..., outbox_model=...)")
    envelope = build_envelope(
        event_type, data, producer=service, version=version, correlation_id=correlation_id, check=False
    )
    return {
        "message_id": envelope["id"],
        "routing_key": event_type,
        "created_at": utcnow(),
        "body": json.dumps(envelope, ensure_ascii=False, sort_keys=True),
    }


def outbox_table(session: Session) -> Table:
    return session.info["outbox_model"].__table__


@functools.cache
def _insert_into(table: Table) -> Insert:
    return insert(table)
