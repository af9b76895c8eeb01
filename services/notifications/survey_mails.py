"""survey.invited into the mail asking a participant to answer the event's
satisfaction survey (or the one reminder), in their language, with the
secret link and the closing date. Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .config import NotifyConfig
from .mail.outgoing import queue_mail
from .models import Delivery


def survey_invited(session: Session, data: dict, config: NotifyConfig) -> Delivery:
    return queue_mail(
        session,
        config,
        kind="survey_invited",
        participant=data["participant"],
        event=data["event"],
        registration_id=data["registration_id"],
        offer_expires_at=data.get("closes_at"),  # shown as the deadline
        survey_url=data["survey_url"],
        reminder=bool(data.get("reminder")),
    )
