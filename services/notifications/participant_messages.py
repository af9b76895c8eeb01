"""participant.messaged into mails: the organisers' own words to each
recipient of the batch, in the language the person chose (the Italian text
when no English was written), through the same delivery rows as every other
mail, so they show in the delivery log as kind "participant_message". Service
mail about a registration: no unsubscribe link. Use cases never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .config import NotifyConfig
from .mail.mail_context import localized
from .mail.outgoing import delivery_row, queue_many
from .models import Attendee

KIND = "participant_message"


def participants_messaged(session: Session, data: dict, config: NotifyConfig) -> int:
    """Queue one mail per recipient of this batch; how many were queued.
    People erased since the message was sent get nothing."""
    recipients = data["recipients"]
    erased = set(
        session.scalars(
            select(Attendee.registration_id).where(
                Attendee.registration_id.in_([r["registration_id"] for r in recipients]),
                Attendee.erased_at.is_not(None),
            )
        )
    )
    rows = [_row(config, data, recipient) for recipient in recipients if recipient["registration_id"] not in erased]
    queue_many(session, rows)
    return len(rows)


def _row(config: NotifyConfig, data: dict, recipient: dict) -> dict:
    participant = recipient["participant"]
    language = participant.get("locale") or "it"
    return delivery_row(
        config,
        kind=KIND,
        participant=participant,
        event=data["event"],
        registration_id=recipient["registration_id"],
        message_subject=localized(data["subject"], language),
        message_body=localized(data["body"], language),
    )
