"""A visitor's report about the site's accessibility (the feedback
mechanism the AgID statement asks for): one mail to the accessibility
contact, queued through the ordinary mail pipeline in the caller's
transaction, so it is retried like every other mail."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.formatting import DEFAULT_TIMEZONE, local

from .config import NotifyConfig
from .mail.outgoing import queue_notice
from .models import Delivery

MESSAGE_LIMIT = 5000
PAGE_LIMIT = 500


def send_feedback(
    session: Session, config: NotifyConfig, *, message: str, email: str | None, page: str | None, language: str
) -> Delivery:
    """The organisers read Italian; the writer's language is named in the mail."""
    moment = local(utcnow(), DEFAULT_TIMEZONE)
    return queue_notice(
        session,
        config,
        kind="accessibility_feedback",
        recipient=config.accessibility_contact,
        language="it",
        message=message,
        email=email,
        page=page,
        writer_language=language,
        received=f"{moment:%d/%m/%Y %H:%M}",
    )
