"""record.link_requested into the mail with the secret link to a person's
training record, sent to the address that asked and nowhere else, in the
language of the page they asked from. A notice about the person's record,
not about one event. Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .config import NotifyConfig
from .mail.mail_context import format_moment
from .mail.outgoing import queue_notice
from .models import Delivery

TIMEZONE = "Europe/Rome"


def record_link_requested(session: Session, data: dict, config: NotifyConfig) -> Delivery:
    language = data.get("locale") or "it"
    return queue_notice(
        session,
        config,
        kind="record_link",
        recipient=data["email"],
        language=language,
        name=data.get("first_name") or "",
        record_url=data["record_url"],
        deadline=format_moment(data["expires_at"], TIMEZONE, language),
    )
