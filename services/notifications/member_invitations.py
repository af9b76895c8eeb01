"""organisation.member_invited into the invitation e-mail: the secret link
goes to the invited address, in the language the inviter chose. Use cases
take a session and never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .config import NotifyConfig
from .mail.outgoing import queue_mail
from .models import Delivery


def member_invited(session: Session, data: dict, config: NotifyConfig) -> Delivery:
    # The mail templates are written around an event (its title, when, where);
    # an invitation's is its organisation, open until the link expires.
    organisation = data["organisation"]
    about = {
        "title": {"it": organisation["name"]},
        "starts_at": data["expires_at"],
        "ends_at": data["expires_at"],
        "timezone": "Europe/Rome",
    }
    return queue_mail(
        session,
        config,
        kind="member_invited",
        participant={"email": data["email"], "first_name": "", "last_name": "", "locale": data["locale"]},
        event=about,
        registration_id=None,
        offer_expires_at=data["expires_at"],
        organisation=organisation,
        inviter=data["invited_by"],
        role=data["role"],
        accept_url=data["accept_url"],
    )
