"""record.link_requested into the mail with the secret link to a person's
training record, sent to the address that asked and nowhere else, in the
language of the page they asked from. Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .config import NotifyConfig
from .mail.outgoing import queue_mail
from .models import Delivery

RECORD = {"it": "Libretto formativo", "en": "Training record"}


def record_link_requested(session: Session, data: dict, config: NotifyConfig) -> Delivery:
    # The mail templates are written around an event; this one's is the record,
    # "open" until the link expires.
    about = {"title": RECORD, "starts_at": data["expires_at"], "ends_at": data["expires_at"], "timezone": "Europe/Rome"}
    person = {
        "email": data["email"],
        "first_name": data.get("first_name") or "",
        "last_name": "",
        "locale": data["locale"],
    }
    return queue_mail(
        session,
        config,
        kind="record_link",
        participant=person,
        event=about,
        registration_id=None,
        offer_expires_at=data["expires_at"],
        record_url=data["record_url"],
    )
