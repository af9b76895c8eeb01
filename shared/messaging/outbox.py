"""Transactional outbox: `add_event` writes the event next to the business
rows, in the caller's transaction. Nothing is sent until that commits."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from shared.envelope import build_envelope


def add_event(session: Session, event_type: str, data: dict, *, version: int | None = None,
              correlation_id: str | None = None) -> str:
    """Queue one event for publication; returns its message id."""
    outbox_model = session.info.get("outbox_model")
    service = session.info.get("service")
    if outbox_model is None or service is None:
        raise RuntimeError("session was not made by make_session_factory(..., outbox_model=...)")
    envelope = build_envelope(event_type, data, producer=service, version=version,
                              correlation_id=correlation_id)
    session.add(outbox_model(message_id=envelope["id"], routing_key=event_type,
                             body=json.dumps(envelope, ensure_ascii=False, sort_keys=True)))
    return envelope["id"]
