"""organisation.member_invited into the invitation e-mail: the secret link
goes to the invited address, in the language the inviter chose. It is a
notice about an organisation, not an event: no participant, no registration.
Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .config import NotifyConfig
from .mail.mail_context import format_moment
from .mail.outgoing import queue_notice
from .models import Delivery

TIMEZONE = "Europe/Rome"  # an organisation's invitations speak the association's time


def member_invited(session: Session, data: dict, config: NotifyConfig) -> Delivery:
    language = data.get("locale") or "it"
    return queue_notice(
        session,
        config,
        kind="member_invited",
        recipient=data["email"],
        language=language,
        organisation=data["organisation"],
        inviter=data["invited_by"],
        role=data["role"],
        accept_url=data["accept_url"],
        deadline=format_moment(data["expires_at"], TIMEZONE, language),
    )
