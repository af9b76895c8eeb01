"""Private agenda feed tokens: 256 random bits in the URL path, one live
token per registration; rotating replaces it (the old URL stops working),
revoking clears it. The registration's secret manage link (its SHA-256,
remembered from the registration events that carried it) may manage the
feed as well, so the registration page can offer "rotate" and "revoke"."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import quote

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import NotFound

from ..config import NotifyConfig
from ..models import Attendee, Feed, ManageLink

MAX_TOKEN_LENGTH = 128


class UnknownFeed(NotFound):
    """No live feed behind this token (never issued, rotated away or revoked)."""

    field = "token"


class UnknownLink(NotFound):
    """No registration known behind this manage link."""

    field = "token"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_links(config: NotifyConfig, token: str) -> dict:
    """https for copy-paste, webcal:// for Apple/Outlook, Google's add-by-URL
    (its cid= must be the webcal URL)."""
    https = f"{config.settings.public_base_url}/notifications/feeds/{token}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return {
        "https": https,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
    }


def ensure_feed(session: Session, registration_id: str) -> Feed:
    """The registration's feed, issuing a token if it has none (a revoked
    feed stays revoked: only rotate() issues a new token then)."""
    feed = session.get(Feed, registration_id)
    if feed is None:
        feed = Feed(registration_id=registration_id, token=new_token(), created_at=utcnow())
        session.add(feed)
    return feed


def by_token(session: Session, token: str, *, for_update: bool = False) -> Feed:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise UnknownFeed("no feed behind this address")
    query = select(Feed).where(Feed.token == token)
    feed = session.scalar(query.with_for_update() if for_update else query)
    if feed is None:
        raise UnknownFeed("no feed behind this address")
    return feed


def rotate(feed: Feed) -> str:
    """A new token for the feed (also after a revocation); returns it."""
    token = new_token()
    feed.token, feed.rotated_at, feed.revoked_at = token, utcnow(), None
    return token


def revoke(feed: Feed) -> None:
    feed.token, feed.revoked_at = None, utcnow()


def remember_manage_url(session: Session, registration_id: str, manage_url: str | None) -> None:
    """Keep the hash of a freshly issued manage link (its last path segment)."""
    if not manage_url:
        return
    token = manage_url.rstrip("/").rsplit("/", 1)[-1]
    digest = link_hash(token)
    if session.get(ManageLink, digest) is None:
        session.add(ManageLink(token_hash=digest, registration_id=registration_id, created_at=utcnow()))


def registration_of_link(session: Session, manage_token: str) -> str:
    if not manage_token or len(manage_token) > MAX_TOKEN_LENGTH:
        raise UnknownLink("no registration behind this link")
    link = session.get(ManageLink, link_hash(manage_token))
    attendee = session.get(Attendee, link.registration_id) if link is not None else None
    if link is None or attendee is None or attendee.erased_at is not None:
        raise UnknownLink("no registration behind this link")
    return link.registration_id


def forget_links(session: Session, registration_id: str) -> None:
    session.execute(delete(ManageLink).where(ManageLink.registration_id == registration_id))
