"""The time a registration attended, measured on the released programme as
unions of time intervals (parallel sessions count once). A day check-in
counts that day's programme; without a programme each event day counts from
the event's start to its end time. Online presences imported from webinar
reports add the spans actually connected, in the same union as the check-ins."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import CheckIn, Listing, OnlinePresence, ProgrammeSession, Registration

Interval = tuple[dt.datetime, dt.datetime]


def merged(intervals: list[Interval]) -> list[Interval]:
    """The same time as disjoint intervals, in order."""
    spans: list[Interval] = []
    for start, end in sorted(intervals):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def union_minutes(intervals: list[Interval]) -> int:
    total = sum((end - start for start, end in merged(intervals)), dt.timedelta())
    return int(total.total_seconds() // 60)


def covered_share(spans: list[Interval], start: dt.datetime, end: dt.datetime) -> float:
    """How much of [start, end) the disjoint `spans` cover, from 0 to 1."""
    if end <= start:
        return 0.0
    covered = sum(
        ((min(end, e) - max(start, s)).total_seconds() for s, e in spans if s < end and start < e),
        0.0,
    )
    return min(covered / (end - start).total_seconds(), 1.0)


def programme_of(session: Session, listing: Listing) -> list[ProgrammeSession]:
    """The confirmed sessions (not breaks) of the released programme."""
    return list(
        session.scalars(
            select(ProgrammeSession)
            .where(
                ProgrammeSession.event_id == listing.id,
                ProgrammeSession.kind == "session",
                ProgrammeSession.status == "confirmed",
            )
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        )
    )


def local_day(moment: dt.datetime, listing: Listing) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(listing.timezone)).date()


def day_windows(listing: Listing) -> dict[dt.date, Interval]:
    """Each event day from the event's local start time to its local end time. An event
    whose daily end is at or before its daily start (an evening until midnight) runs past
    midnight each day: its window is keyed by the day it starts."""
    zone = zoneinfo.ZoneInfo(listing.timezone)
    start, end = listing.starts_at.astimezone(zone), listing.ends_at.astimezone(zone)
    overnight = end.time() <= start.time()
    days = (end.date() - start.date()).days + (0 if overnight else 1)
    if days <= 1:
        return {start.date(): (listing.starts_at, listing.ends_at)}
    windows = {}
    for offset in range(days):
        day = start.date() + dt.timedelta(days=offset)
        opens = dt.datetime.combine(day, start.time(), zone).astimezone(dt.timezone.utc)
        closes = dt.datetime.combine(day + dt.timedelta(days=int(overnight)), end.time(), zone)
        if closes.astimezone(dt.timezone.utc) > opens:
            windows[day] = (opens, closes.astimezone(dt.timezone.utc))
    return windows


def total_minutes(session: Session, listing: Listing) -> int:
    programme = programme_of(session, listing)
    if programme:
        return union_minutes([(s.starts_at, s.ends_at) for s in programme])
    return union_minutes(list(day_windows(listing).values()))


def attended_intervals(session: Session, registration: Registration, listing: Listing) -> list[Interval]:
    """Every span the registration counts as present: check-ins and online presences."""
    scopes = session.scalars(select(CheckIn.scope).where(CheckIn.registration_id == registration.id)).all()
    programme = programme_of(session, listing)
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
    return intervals + _online(session, registration, by_id, windows, bool(programme))


def attended_minutes(session: Session, registration: Registration, listing: Listing) -> int:
    return union_minutes(attended_intervals(session, registration, listing))


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
