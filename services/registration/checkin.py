"""Check-in: each registration has a QR code holding a signed payload (its id
and an HMAC-SHA256 made with the service's secret key: it cannot be guessed
or forged, and it opens nothing but the check-in). Staff check people in per
day or per session; a second scan answers "already checked in"."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import segno
from itsdangerous import BadSignature, Signer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, NotFound, Unprocessable

from . import attendance
from .models import CheckIn, Listing, ProgrammeSession, Registration, WorkshopSignup


class NotCheckable(Conflict):
    """This registration cannot check in (not confirmed, or not signed up for the workshop)."""


@dataclass
class CheckInResult:
    registration: Registration
    checkin: CheckIn
    already: bool


def _signer(secret: str) -> Signer:
    return Signer(secret, salt="eventi.registration.checkin", digest_method=hashlib.sha256)


def checkin_code(secret: str, registration_id: str) -> str:
    return _signer(secret).sign(registration_id).decode()


def registration_id_from(secret: str, code: str) -> str:
    try:
        return _signer(secret).unsign(code.strip()).decode()
    except (BadSignature, UnicodeError):
        raise NotFound("not a check-in code of ours", field="code") from None


def qr_svg(code: str) -> bytes:
    """A standalone SVG document (image/svg+xml)."""
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="svg", scale=4, title="Check-in")
    return buffer.getvalue()


def qr_inline(code: str) -> str:
    """The same code as an <svg> element for a page."""
    return segno.make(code, error="m").svg_inline(scale=4, title="QR code per il check-in")


def check_in(
    session: Session,
    listing: Listing,
    *,
    secret: str,
    code: str | None = None,
    registration_id: str | None = None,
    day: dt.date | None = None,
    session_id: int | None = None,
    by: str = "",
    now: dt.datetime | None = None,
) -> CheckInResult:
    """Check the person in, named by the QR `code` of their page (signed with
    `secret`) or by `registration_id` (found by name at the desk), for `day`
    (default today) or one session; a second time answers `already`."""
    now = now or utcnow()
    registration_id = registration_id or registration_id_from(secret, code or "")
    registration = session.get(Registration, registration_id, with_for_update=True)
    if registration is None or registration.event_id != listing.id or registration.erased_at is not None:
        raise NotFound("no such registration for this event", field="code")
    if registration.status != "confirmed":
        raise NotCheckable(f"a {registration.status} registration cannot check in", field="status")
    scope = _scope(session, listing, registration, day, session_id, now)
    existing = _existing(session, registration, scope)
    if existing is not None:
        return CheckInResult(registration, existing, already=True)
    checkin = CheckIn(
        registration_id=registration.id, event_id=listing.id, scope=scope, checked_in_at=now, checked_in_by=by
    )
    try:
        with session.begin_nested():
            session.add(checkin)
    except IntegrityError:  # a second scan at the same instant on another desk
        existing = _existing(session, registration, scope)
        if existing is None:
            raise
        return CheckInResult(registration, existing, already=True)
    attendance.update(session, registration, listing, now)
    return CheckInResult(registration, checkin, already=False)


def scopes_checked_in(session: Session, registration_ids: list[str]) -> dict[str, list[str]]:
    """Registration id -> the scopes (day:..., session:...) it checked in for."""
    scopes: dict[str, list[str]] = {}
    if registration_ids:
        for row in session.scalars(select(CheckIn).where(CheckIn.registration_id.in_(registration_ids))):
            scopes.setdefault(row.registration_id, []).append(row.scope)
    return scopes


def event_days(listing: Listing) -> list[dt.date]:
    """The days a desk checks people in for, in order."""
    return sorted(attendance.day_windows(listing))


def desk_day(listing: Listing, value: str | None, *, now: dt.datetime | None = None) -> dt.date | None:
    """The day asked for if it is an event day, else today if it is one, else the first."""
    days = event_days(listing)
    try:
        chosen = dt.date.fromisoformat(value or "")
    except ValueError:
        chosen = attendance.local_day(now or utcnow(), listing)
    return chosen if chosen in days else (days[0] if days else None)


def _existing(session: Session, registration: Registration, scope: str) -> CheckIn | None:
    return session.scalar(select(CheckIn).where(CheckIn.registration_id == registration.id, CheckIn.scope == scope))


def _scope(session, listing, registration, day, session_id, now) -> str:
    if session_id is not None:
        item = session.get(ProgrammeSession, session_id)
        if item is None or item.event_id != listing.id or item.kind != "session" or item.status == "cancelled":
            raise NotFound("no such session in this event's programme", field="session_id")
        if item.is_workshop and not _signed_up(session, registration, item):
            raise NotCheckable("not signed up for this workshop", field="session_id")
        return f"session:{item.id}"
    day = day or attendance.local_day(now, listing)
    first, last = attendance.local_day(listing.starts_at, listing), attendance.local_day(listing.ends_at, listing)
    if not first <= day <= last:
        raise Unprocessable(f"the event does not take place on {day.isoformat()}", field="day")
    return f"day:{day.isoformat()}"


def _signed_up(session: Session, registration: Registration, item: ProgrammeSession) -> bool:
    return (
        session.scalar(
            select(WorkshopSignup.id).where(
                WorkshopSignup.registration_id == registration.id,
                WorkshopSignup.session_id == item.id,
                WorkshopSignup.status == "confirmed",
            )
        )
        is not None
    )
