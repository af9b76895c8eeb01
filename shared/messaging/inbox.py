"""Idempotent inbox: claim (consumer, message id) in the handler's transaction."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def claim(session: Session, inbox_model, consumer: str, message_id: str, event_type: str) -> bool:
    """True the first time; False when this message was already applied.
    The SAVEPOINT keeps the outer transaction usable after a duplicate."""
    try:
        with session.begin_nested():
            session.add(inbox_model(consumer=consumer, message_id=message_id, event_type=event_type))
    except IntegrityError:
        return False
    return True
