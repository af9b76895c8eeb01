"""The List-Unsubscribe link of reminders and change digests (RFC 2369, with
RFC 8058's one-click POST): a registration id signed with the secret key, so
the link needs no stored token and cannot be made up for someone else. Using
it stops those mails for that registration (unsubscribing.py); the mails a
registration cannot do without (confirmations, offers, organisers' messages)
carry no such link."""

from __future__ import annotations

import base64
import hashlib
import hmac

from ..config import NotifyConfig

KINDS = ("reminder", "schedule_change", "schedule_digest", "calendar_update")
PURPOSE = b"list-unsubscribe:"


def token_for(secret_key: str, registration_id: str) -> str:
    return f"{registration_id}.{_signature(secret_key, registration_id)}"


def registration_of(secret_key: str, token: str) -> str | None:
    """The registration id a genuine token names, else None."""
    registration_id, _, signature = token.rpartition(".")
    if not registration_id or not hmac.compare_digest(signature, _signature(secret_key, registration_id)):
        return None
    return registration_id


def url_for(config: NotifyConfig, kind: str, registration_id: str | None) -> str | None:
    """The link for this mail, or None for a kind (or a mail) that carries none."""
    if kind not in KINDS or not registration_id:
        return None
    token = token_for(config.settings.secret_key, registration_id)
    return f"{config.settings.public_base_url}/notifications/api/v1/unsubscribe/{token}"


def _signature(secret_key: str, registration_id: str) -> str:
    digest = hmac.new(secret_key.encode(), PURPOSE + registration_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()
