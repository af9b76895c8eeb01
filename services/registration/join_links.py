"""Per-person join links: the organiser uploads the webinar platform's
registrant list (Zoom's registration report with its "Join URL" column, or
a plain `email,join_url` CSV); each address is matched, case aside, to the
event's active registration and its own link stored. Every change publishes
`registration.join_link_changed`; an empty link cell removes the person's
own link (back to the event's shared one). Addresses of nobody registered
are listed back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.messaging import add_event

from .attendance_reports import ReportUnreadable
from .attendance_reports.table import find_table
from .attendance_reports.text import records
from .models import ACTIVE, Listing, Registration
from .publishing import event_summary, participant_of

COLUMNS = {
    "email": ("email", "e-mail", "email address", "user email", "indirizzo e-mail"),
    "join_url": ("join_url", "join url", "join link", "webinar join url", "meeting join url", "link di accesso"),
}
MAX_URL = 1000


@dataclass
class JoinLinkOutcome:
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    unknown: list[str] = field(default_factory=list)


def import_links(session: Session, listing: Listing, content: bytes, now: dt.datetime | None = None) -> JoinLinkOutcome:
    now, outcome = now or utcnow(), JoinLinkOutcome()
    table = find_table(records(content), COLUMNS, ("email", "join_url"), stop=60)
    if table is None:
        raise ReportUnreadable("no 'email' and 'join_url' columns (Zoom's registration report: 'Email', 'Join URL')")
    wanted: dict[str, str | None] = {}
    for record in table:
        email = table.cell(record, "email").lower()
        if not email:
            continue
        wanted[email] = table.read(record, "join_url", _link, "an http(s) link") or None
    registrations = {
        r.email.lower(): r
        for r in session.scalars(
            select(Registration)
            .where(
                Registration.event_id == listing.id, Registration.status.in_(ACTIVE), Registration.erased_at.is_(None)
            )
            .with_for_update()
        )
    }
    for email, url in wanted.items():
        registration = registrations.get(email)
        if registration is None:
            outcome.unknown.append(email)
        elif registration.join_url == url:
            outcome.unchanged += 1
        else:
            outcome.removed += url is None
            outcome.changed += url is not None
            set_link(session, registration, listing, url, now)
    return outcome


def set_link(session: Session, registration: Registration, listing: Listing, url: str | None, now: dt.datetime) -> None:
    registration.join_url = url
    registration.join_link_revision += 1
    add_event(
        session,
        "registration.join_link_changed",
        {
            "registration_id": registration.id,
            "event_id": listing.id,
            "revision": registration.join_link_revision,
            "status": registration.status,
            "participant": participant_of(registration),
            "event": event_summary(listing),
            "join_url": url,
            "changed_at": now,
        },
    )


def _link(value: str) -> str:
    """An http(s) link, or empty; anything else is a ValueError."""
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(value) > MAX_URL or " " in value:
        raise ValueError(value)
    return value
