"""Versioned privacy notices of an event. Version 1 is the operator's
default notice (default_notice.py) until the organisers publish their own;
each publication is a new, higher version, and the event's consent version
(`Listing.privacy_policy_version`, which a registration stores) follows it,
so the version a person accepted always names one fixed text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, NotFound

from . import default_notice
from .models import Listing, PrivacyNotice

TEXT_LIMIT = 40_000  # characters per language: a long notice is a few thousand


class NoticeLocked(Conflict):
    """The event's consent version follows its published notices: it changes only by a new version."""


@dataclass(frozen=True)
class Notice:
    """One version as pages and the API show it; `own` is False for the operator's default."""

    version: int
    text_it: str
    text_en: str | None
    published_at: dt.datetime | None
    own: bool


DEFAULT = Notice(default_notice.DEFAULT_VERSION, default_notice.TEXT_IT, default_notice.TEXT_EN, None, own=False)


def versions_of(session: Session, listing: Listing) -> list[Notice]:
    """Every version the event has shown, newest first (the default one last, when it was shown)."""
    own = [
        _notice(row)
        for row in session.scalars(
            select(PrivacyNotice).where(PrivacyNotice.event_id == listing.id).order_by(PrivacyNotice.version.desc())
        )
    ]
    if not own or own[-1].version > DEFAULT.version:
        own.append(DEFAULT)
    return own


def current(session: Session, listing: Listing) -> Notice:
    return versions_of(session, listing)[0]


def version_of(session: Session, listing: Listing, version: int) -> Notice:
    found = next((notice for notice in versions_of(session, listing) if notice.version == version), None)
    if found is None:
        raise NotFound(f"this event has no privacy notice version {version}", field="version")
    return found


def has_own(session: Session, listing: Listing) -> bool:
    return session.scalar(select(PrivacyNotice.id).where(PrivacyNotice.event_id == listing.id).limit(1)) is not None


def publish(
    session: Session,
    listing: Listing,
    *,
    text_it: str,
    text_en: str | None,
    by: str = "",
    now: dt.datetime | None = None,
) -> Notice:
    """A new version, one above every version shown so far (a numeric
    consent version an organiser named before counts too). The event's
    consent version becomes it, and an outside notice's address is dropped:
    the registration form links this notice from now on. The listing row
    is locked first, so two publications at once get two numbers."""
    session.refresh(listing, with_for_update=True)
    version = next_version(session, listing)
    row = PrivacyNotice(
        event_id=listing.id,
        version=version,
        text_it=text_it,
        text_en=text_en or None,
        published_at=now or utcnow(),
        published_by=by[:64],
    )
    session.add(row)
    listing.privacy_policy_version, listing.privacy_policy_url = str(version), None
    session.flush()
    return _notice(row)


def next_version(session: Session, listing: Listing) -> int:
    highest = session.scalar(select(func.max(PrivacyNotice.version)).where(PrivacyNotice.event_id == listing.id))
    named = int(listing.privacy_policy_version) if listing.privacy_policy_version.isdigit() else 0
    return max(highest or 0, named, DEFAULT.version) + 1


def guard_policies(session: Session, listing: Listing, changes: dict) -> None:
    """Once an event has its own notice, its consent version and address are the notice's."""
    touched = {"privacy_policy_version", "privacy_policy_url"} & set(changes)
    if touched and has_own(session, listing):
        raise NoticeLocked(
            "this event has its own privacy notice: publish a new version instead", field=sorted(touched)[0]
        )


def notice_url(base_url: str, slug: str, version: str | int) -> str:
    """The public page of one version of the event's notice."""
    return f"{base_url}/registration/events/{quote(slug)}/privacy?version={quote(str(version))}"


def _notice(row: PrivacyNotice) -> Notice:
    return Notice(row.version, row.text_it, row.text_en, row.published_at, own=True)
