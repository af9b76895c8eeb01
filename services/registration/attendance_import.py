"""Attendance imported from a webinar platform's report, for one programme
session (`session:<id>`) or, for an event without a programme, one event day
(`day:YYYY-MM-DD`). Uploading reads the file and keeps a preview: each
attendee's connections merged and clipped to the target, matched by address
to a confirmed registration, or with registrations proposed by name. The
organiser confirms with a mapping for the rest; confirming records online
presences that attendance.py counts with the check-ins, and may certify.
The same file again changes nothing; a corrected report for the same target
replaces the earlier import."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, NotFound, Unprocessable

from . import attendance
from .attendance_reports import Clock, clipped, read_report
from .attendance_reports.intervals import minutes
from .models import AttendanceImport, Listing, OnlinePresence, ProgrammeSession, Registration
from .name_matching import proposals

Window = tuple[dt.datetime, dt.datetime]


def target_window(session: Session, listing: Listing, target: str) -> tuple[str, Window]:
    """The scope and its scheduled time; 422 naming `target` when it is not one of this event's."""
    kind, _, value = target.partition(":")
    if kind == "session" and value.isdigit():
        item = session.get(ProgrammeSession, int(value))
        if item is None or item.event_id != listing.id or item.kind != "session" or item.status != "confirmed":
            raise Unprocessable("no such confirmed session in this event's programme", field="target", location="form")
        return f"session:{item.id}", (item.starts_at, item.ends_at)
    if kind == "day":
        if _has_programme(session, listing):
            raise Unprocessable(
                "this event has a programme: import a report per session", field="target", location="form"
            )
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise Unprocessable("not a day (YYYY-MM-DD)", field="target", location="form") from None
        window = attendance.day_windows(listing).get(day)
        if window is None:
            raise Unprocessable(f"the event does not take place on {value}", field="target", location="form")
        return f"day:{day.isoformat()}", window
    raise Unprocessable("session:<id> or day:YYYY-MM-DD", field="target", location="form")


def upload(
    session: Session, listing: Listing, *, target: str, content: bytes, filename: str = "", by: str = ""
) -> tuple[AttendanceImport, bool]:
    """The preview of a report, and False; or the confirmed import of this very file, and True (nothing changes)."""
    scope, window = target_window(session, listing, target)
    digest = hashlib.sha256(content).hexdigest()
    current = confirmed_import(session, listing, scope)
    if current is not None and current.content_hash == digest:
        return current, True
    report = read_report(content, Clock(listing.timezone, window[0]))
    candidates = attendance.confirmed_of(session, listing)
    by_email = {r.email.lower(): r for r in candidates}
    people = []
    for person in report.people:
        spans = clipped(person.intervals, window)
        match = by_email.get(person.email.lower()) if person.email else None
        proposed = [] if match else proposals(person.name, candidates)
        people.append(
            {
                "row": person.row,
                "name": person.name,
                "email": person.email,
                "intervals": [[start.isoformat(), end.isoformat()] for start, end in spans],
                "minutes": minutes(spans),
                "registration_id": match.id if match else None,
                "proposals": [r.id for r in proposed],
            }
        )
    for stale in session.scalars(_of_target(listing, scope, "preview")):
        stale.status, stale.people = "replaced", []  # a newer upload for the target: this one cannot be confirmed
    draft = AttendanceImport(
        event_id=listing.id,
        scope=scope,
        status="preview",
        report_format=report.format,
        filename=filename[:200],
        content_hash=digest,
        people=people,
        matched=sum(1 for p in people if p["registration_id"]),
        created_by=by,
    )
    session.add(draft)
    session.flush()
    return draft, False


def confirm(
    session: Session, listing: Listing, import_id: int, mapping: dict[str, str | None], now: dt.datetime | None = None
) -> tuple[AttendanceImport, bool]:
    """Record the preview's presences: e-mail matches, overridden or completed
    by `mapping` (row -> registration id, or null to skip). True when it was
    already confirmed (nothing changes)."""
    now = now or utcnow()
    # One confirmation per event at a time: two previews of the same target
    # confirmed at once would otherwise both find no earlier import to replace.
    session.refresh(listing, with_for_update=True)
    draft = import_of(session, listing, import_id, for_update=True)
    if draft.status == "confirmed":
        return draft, True
    if draft.status != "preview":
        raise Conflict("a later upload for the same target replaced this one", field="import_id")
    assigned = _assignments(session, listing, draft.people, mapping)
    previous = confirmed_import(session, listing, draft.scope, for_update=True)
    if previous is not None:
        session.execute(delete(OnlinePresence).where(OnlinePresence.import_id == previous.id))
        previous.status = "replaced"
    for registration_id, spans in assigned.items():
        for start, end in spans:
            session.add(
                OnlinePresence(
                    import_id=draft.id, registration_id=registration_id, scope=draft.scope, starts_at=start, ends_at=end
                )
            )
    draft.status, draft.confirmed_at, draft.matched = "confirmed", now, len(assigned)
    draft.people = []  # names and addresses of the report are not kept once recorded
    session.flush()
    for registration_id in sorted(assigned):
        attendance.update(session, session.get_one(Registration, registration_id), listing, now)
    return draft, False


def _assignments(
    session: Session, listing: Listing, people: list[dict], mapping: dict[str, str | None]
) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    rows = {str(p["row"]): p for p in people}
    errors = [f"row {row}: not a row of this report" for row in mapping if row not in rows]
    confirmed = {r.id for r in attendance.confirmed_of(session, listing)}
    errors += [
        f"row {row}: no confirmed registration {value!r} in this event"
        for row, value in mapping.items()
        if value is not None and value not in confirmed
    ]
    if errors:
        raise Unprocessable("; ".join(errors[:10]), field="mapping")
    assigned: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for row, person in rows.items():
        registration_id = mapping[row] if row in mapping else person["registration_id"]
        spans = [(dt.datetime.fromisoformat(s), dt.datetime.fromisoformat(e)) for s, e in person["intervals"]]
        if registration_id and spans:
            assigned.setdefault(registration_id, []).extend(spans)
    return assigned


def import_of(session: Session, listing: Listing, import_id: int, *, for_update: bool = False) -> AttendanceImport:
    found = session.get(AttendanceImport, import_id, with_for_update=for_update or None)
    if found is None or found.event_id != listing.id:
        raise NotFound("no such attendance import for this event", field="import_id")
    return found


def confirmed_import(
    session: Session, listing: Listing, scope: str, *, for_update: bool = False
) -> AttendanceImport | None:
    query = _of_target(listing, scope, "confirmed")
    return session.scalar(query.with_for_update() if for_update else query)


def _of_target(listing: Listing, scope: str, status: str) -> Select:
    return select(AttendanceImport).where(
        AttendanceImport.event_id == listing.id, AttendanceImport.scope == scope, AttendanceImport.status == status
    )


def imports_of(session: Session, listing: Listing) -> list[AttendanceImport]:
    """The event's confirmed imports, by target."""
    return list(
        session.scalars(
            select(AttendanceImport)
            .where(AttendanceImport.event_id == listing.id, AttendanceImport.status == "confirmed")
            .order_by(AttendanceImport.scope)
        )
    )


def _has_programme(session: Session, listing: Listing) -> bool:
    count = session.scalar(
        select(func.count()).where(
            ProgrammeSession.event_id == listing.id,
            ProgrammeSession.kind == "session",
            ProgrammeSession.status == "confirmed",
        )
    )
    return bool(count)
