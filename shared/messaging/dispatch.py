"""What to do with one delivered message, kept free of kombu so it can be
unit-tested: apply it once, retry it later, or park it."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from shared.envelope import Envelope, InvalidMessage, parse_envelope

from .inbox import claim

log = logging.getLogger(__name__)

Handler = Callable[[Session, dict, Envelope], None]


class PermanentFailure(Exception):
    """A handler's verdict that retrying cannot help: park the message."""


class Verdict(enum.Enum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    RETRY = "retry"
    PARK = "park"


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reason: str = ""
    event_type: str | None = None
    # RETRY because the database could not be reached: not the message's
    # fault, so the retry must not use up one of its attempts.
    database_down: bool = False


def dispatch(
    body, *, consumer: str, handlers: dict[str, Handler], session_factory: sessionmaker, inbox_model
) -> Outcome:
    try:
        envelope = parse_envelope(body)
    except InvalidMessage as exc:
        return Outcome(Verdict.PARK, str(exc))
    handler = handlers.get(envelope.type)
    if handler is None:
        return Outcome(Verdict.IGNORED, "no handler", envelope.type)
    try:
        with session_factory() as session, session.begin():
            if not claim(session, inbox_model, consumer, envelope.id, envelope.type):
                return Outcome(Verdict.DUPLICATE, event_type=envelope.type)
            handler(session, envelope.data, envelope)
    except PermanentFailure as exc:
        return Outcome(Verdict.PARK, f"{type(exc).__name__}: {exc}", envelope.type)
    except Exception as exc:  # anything else may pass: try again later
        log.exception("handler for %s failed", envelope.type)
        down = isinstance(exc, DBAPIError) and not database_reachable(session_factory)
        return Outcome(Verdict.RETRY, f"{type(exc).__name__}: {exc}", envelope.type, database_down=down)
    return Outcome(Verdict.APPLIED, event_type=envelope.type)


def database_reachable(session_factory: sessionmaker) -> bool:
    """Asked after a database error: was it the database being away (a
    restart, a failover) rather than this message?"""
    try:
        with session_factory() as session:
            session.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure to run SELECT 1 means: not reachable now
        return False
