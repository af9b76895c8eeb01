"""A participant stops reminders and change digests for one registration
with the List-Unsubscribe link (mail/unsubscribe_links.py). Use cases never
commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import NotFound

from .mail.unsubscribe_links import registration_of
from .models import Attendee


class UnknownUnsubscribeLink(NotFound):
    """The link was not made by this site, or its registration is gone."""

    field = "token"


def attendee_of(session: Session, secret_key: str, token: str) -> Attendee:
    registration_id = registration_of(secret_key, token)
    attendee = session.get(Attendee, registration_id) if registration_id else None
    if attendee is None or attendee.erased_at is not None:
        raise UnknownUnsubscribeLink("this unsubscribe link is not valid")
    return attendee


def unsubscribe(session: Session, secret_key: str, token: str, now: dt.datetime | None = None) -> Attendee:
    """Idempotent: a second use keeps the first moment."""
    attendee = attendee_of(session, secret_key, token)
    if attendee.unsubscribed_at is None:
        attendee.unsubscribed_at = now or utcnow()
    return attendee
