"""Secret links: 256 random bits each, only their SHA-256 is stored. A
registration has the link issued at registration plus any fresh ones issued
later (\"send me my link again\", offers); each of them opens it."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import NotFound

from .models import Registration, RegistrationLink

MAX_TOKEN_LENGTH = 128


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def manage_url(base_url: str, token: str) -> str:
    return f"{base_url}/registration/r/{token}"


def by_token(session: Session, token: str, *, for_update: bool = False) -> Registration:
    """The registration behind a link; an unknown, malformed or erased one is a 404."""
    digest = token_hash(token) if token and len(token) <= MAX_TOKEN_LENGTH else None
    registration = None
    if digest:
        query = select(Registration).where(Registration.token_hash == digest)
        registration = session.scalar(query.with_for_update() if for_update else query)
        if registration is None:
            owner = session.scalar(
                select(RegistrationLink.registration_id).where(RegistrationLink.token_hash == digest)
            )
            if owner is not None:
                registration = session.get(Registration, owner, with_for_update=for_update or None)
    if registration is None or registration.erased_at is not None:
        raise NotFound("no registration behind this link", field="token")
    return registration


def issue_link(session: Session, registration: Registration, purpose: str) -> str:
    """A fresh secret link for an existing registration; the older ones keep working."""
    token = new_token()
    session.add(RegistrationLink(token_hash=token_hash(token), registration_id=registration.id, purpose=purpose))
    return token


def forget_links(session: Session, registration: Registration) -> None:
    """Erasure: no link opens this registration any more."""
    for link in session.scalars(select(RegistrationLink).where(RegistrationLink.registration_id == registration.id)):
        session.delete(link)
    registration.token_hash = token_hash(new_token())  # unknown to anyone
