"""Attendance for courses: minutes attended against the course total, both
measured on the released programme as unions of time intervals (parallel
sessions count once). A day check-in counts that day's programme; without a
programme each event day counts from the event's start to its end time.
Online presences imported from webinar reports (attendance_import.py) add
the spans actually connected, in the same union as the check-ins.
Crossing the event's threshold publishes `attendance.certified`, once."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.messaging import add_event

from .models import CheckIn, Listing, OnlinePresence, ProgrammeSession, Registration
from .publishing import event_summary, participant_of

Interval = tuple[dt.datetime, dt.datetime]


def union_minutes(intervals: list[Interval]) -> int:
    total, current = dt.timedelta(), None
    for start, end in sorted(intervals):
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += current[1] - current[0]
        current = (start, end)
    if current:
        total += current[1] - current[0]
    return int(total.total_seconds() // 60)


def _programme(session: Session, listing: Listing) -> list[ProgrammeSession]:
    return list(
        session.scalars(
            select(ProgrammeSession).where(
                ProgrammeSession.event_id == listing.id,
                ProgrammeSession.kind == "session",
                ProgrammeSession.status == "confirmed",
            )
        )
    )


def local_day(moment: dt.datetime, listing: Listing) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(listing.timezone)).date()


def day_windows(listing: Listing) -> dict[dt.date, Interval]:
    """Each event day from the event's local start time to its local end time."""
    zone = zoneinfo.ZoneInfo(listing.timezone)
    start, end = listing.starts_at.astimezone(zone), listing.ends_at.astimezone(zone)
    days = (end.date() - start.date()).days + 1
    if days == 1:
        return {start.date(): (listing.starts_at, listing.ends_at)}
    windows = {}
    for offset in range(days):
        day = start.date() + dt.timedelta(days=offset)
        opens = dt.datetime.combine(day, start.timetz()).astimezone(dt.timezone.utc)
        closes = dt.datetime.combine(day, end.timetz()).astimezone(dt.timezone.utc)
        if closes > opens:
            windows[day] = (opens, closes)
    return windows


def total_minutes(session: Session, listing: Listing) -> int:
    programme = _programme(session, listing)
    if programme:
        return union_minutes([(s.starts_at, s.ends_at) for s in programme])
    return union_minutes(list(day_windows(listing).values()))


def attended_minutes(session: Session, registration: Registration, listing: Listing) -> int:
    scopes = session.scalars(select(CheckIn.scope).where(CheckIn.registration_id == registration.id)).all()
    programme = _programme(session, listing)
    by_id, windows, intervals = {s.id: s for s in programme}, day_windows(listing), []
    for scope in scopes:
        kind, _, value = scope.partition(":")
        if kind == "session" and int(value) in by_id:
            intervals.append((by_id[int(value)].starts_at, by_id[int(value)].ends_at))
        elif kind == "day" and programme:
            day = dt.date.fromisoformat(value)
            intervals += [(s.starts_at, s.ends_at) for s in programme if local_day(s.starts_at, listing) == day]
        elif kind == "day" and dt.date.fromisoformat(value) in windows:
            intervals.append(windows[dt.date.fromisoformat(value)])
    return union_minutes(intervals + _online(session, registration, by_id, windows, bool(programme)))


def _online(
    session: Session, registration: Registration, by_id: dict, windows: dict, programme: bool
) -> list[Interval]:
    """Imported online spans whose session (or, without a programme, day) still counts."""
    rows = session.execute(
        select(OnlinePresence.scope, OnlinePresence.starts_at, OnlinePresence.ends_at).where(
            OnlinePresence.registration_id == registration.id
        )
    ).all()
    counted = []
    for scope, starts_at, ends_at in rows:
        kind, _, value = scope.partition(":")
        if (kind == "session" and int(value) in by_id) or (
            kind == "day" and not programme and dt.date.fromisoformat(value) in windows
        ):
            counted.append((starts_at, ends_at))
    return counted


def summary(session: Session, registration: Registration, listing: Listing) -> dict:
    attended, total = attended_minutes(session, registration, listing), total_minutes(session, listing)
    return {
        "minutes_attended": attended,
        "total_minutes": total,
        "percent": round(100 * attended / total, 1) if total else 0.0,
        "certified_at": registration.certified_at,
    }


def update(session: Session, registration: Registration, listing: Listing, now: dt.datetime | None = None) -> bool:
    """Certify the registration if it now reaches the threshold; True when it did."""
    threshold = listing.attendance_threshold
    if threshold is None or registration.certified_at is not None or registration.status != "confirmed":
        return False
    facts = summary(session, registration, listing)
    if not facts["total_minutes"] or facts["minutes_attended"] * 100 < threshold * facts["total_minutes"]:
        return False
    registration.certified_at = now or utcnow()
    add_event(
        session,
        "attendance.certified",
        {
            "registration_id": registration.id,
            "event_id": listing.id,
            "participant": participant_of(registration),
            "event": event_summary(listing),
            "event_type": listing.event_type,
            "minutes_attended": facts["minutes_attended"],
            "total_minutes": facts["total_minutes"],
            "hours": round(facts["minutes_attended"] / 60, 2),
            "percent": facts["percent"],
            "threshold_percent": threshold,
            "organisation_ids": list(listing.organisation_ids or []),
            "certified_at": registration.certified_at,
        },
    )
    return True


def recheck_all(session: Session, listing: Listing, now: dt.datetime | None = None) -> int:
    return sum(update(session, registration, listing, now) for registration in confirmed_of(session, listing))


def confirmed_of(session: Session, listing: Listing) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == listing.id, Registration.status == "confirmed")
            .order_by(Registration.last_name, Registration.first_name, Registration.id)
        )
    )
