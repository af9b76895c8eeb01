"""Use cases for the sessions and breaks of the work-in-progress schedule,
and its conflicts. Take a session and plain data, never commit.

Times without an offset are read in the event's time zone and stored in UTC."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.db import utcnow
from shared.errors import NotFound, Unprocessable

from ..credit_grants import granted, set_session_credits
from ..delivery import check_session_delivery
from ..models import Event, ProgrammeSession, Room, SessionSpeaker, SessionType, Speaker, Track
from .conflicts import EventDays, Placed, ScheduleConflict, find_conflicts
from .items import organised_event

REFERENCES: dict[str, type[Room] | type[Track] | type[SessionType]] = {
    "room_id": Room,
    "track_id": Track,
    "type_id": SessionType,
}


def list_sessions(session: Session, organiser: Organiser, slug: str, *, include_cancelled: bool = False):
    event = organised_event(session, organiser, slug, lock=False)
    return event, active_sessions(session, event.id, include_cancelled=include_cancelled)


def get_session(session: Session, organiser: Organiser, slug: str, session_id: int):
    event = organised_event(session, organiser, slug, lock=False)
    return event, session_of(session, event.id, session_id)


def create_session(session: Session, organiser: Organiser, slug: str, data: dict):
    event = organised_event(session, organiser, slug)
    speaker_ids = data.pop("speaker_ids", None) or []
    room = data.pop("online", None)
    credits = data.pop("credits", None) or []
    row = ProgrammeSession(event_id=event.id, **_localised(data, event))
    row.set_online(room)
    _check(session, event, row, speaker_ids)
    _check_credits(row, credits)
    set_session_credits(row, granted(session, event.organisation_ids, credits))
    _set_speakers(row, speaker_ids)
    session.add(row)
    session.flush()
    return event, row


def update_session(session: Session, organiser: Organiser, slug: str, session_id: int, data: dict):
    event = organised_event(session, organiser, slug)
    row = session_of(session, event.id, session_id)
    speaker_ids = data.pop("speaker_ids", None)
    credits = data.pop("credits", None)
    if "online" in data or data.get("delivery_mode") == "in_person":  # in person: its own room goes
        row.set_online(data.pop("online", None))
    for key, value in _localised(data, event).items():
        setattr(row, key, value)
    _check(session, event, row, row.speaker_ids if speaker_ids is None else speaker_ids)
    _check_credits(row, credits if credits is not None else row.credits)
    if credits is not None:
        set_session_credits(row, granted(session, event.organisation_ids, credits))
    if speaker_ids is not None:
        _set_speakers(row, speaker_ids)
    row.updated_at = utcnow()
    session.flush()
    return event, row


def cancel_session(session: Session, organiser: Organiser, slug: str, session_id: int) -> None:
    """Delete from the work in progress; once released, the next release
    carries it as cancelled."""
    event = organised_event(session, organiser, slug)
    session_of(session, event.id, session_id).cancel()
    session.flush()


def session_of(session: Session, event_id: str, session_id: int) -> ProgrammeSession:
    row = session.get(ProgrammeSession, session_id)
    if row is None or row.event_id != event_id or not row.is_active:
        raise NotFound(f"no session {session_id} in this event", field="id")
    return row


def active_sessions(session: Session, event_id: str, *, include_cancelled: bool = False) -> list[ProgrammeSession]:
    query = select(ProgrammeSession).where(ProgrammeSession.event_id == event_id)
    if not include_cancelled:
        query = query.where(ProgrammeSession.status == "active")
    return list(session.scalars(query.order_by(ProgrammeSession.starts_at, ProgrammeSession.id)))


def event_conflicts(session: Session, event: Event) -> list[ScheduleConflict]:
    """Every conflict of the work-in-progress schedule."""
    rows = active_sessions(session, event.id)
    rooms = session.scalars(select(Room).where(Room.event_id == event.id)).all()
    speakers = session.execute(select(Speaker.id, Speaker.name).where(Speaker.event_id == event.id)).all()
    names = {room.id: room.name for room in rooms} | dict(speakers)
    items = [
        Placed(
            row.id,
            row.title_it,
            row.starts_at,
            row.ends_at,
            row.room_id,
            tuple(row.speaker_ids),
            row.seat_limit,
            row.requires_signup,
        )
        for row in rows
    ]
    days = EventDays(event.starts_at, event.ends_at, event.timezone)
    return find_conflicts(items, days, {room.id: room.capacity for room in rooms}, names)


def conflicts_of(conflicts: list[ScheduleConflict], session_id: int) -> list[ScheduleConflict]:
    return [conflict for conflict in conflicts if session_id in conflict.session_ids]


def _localised(data: dict, event: Event) -> dict:
    """Local times in UTC; hours to the hundredth, as stored (so that a
    release right after a change carries what a later one reads back)."""
    zone = zoneinfo.ZoneInfo(event.timezone)
    row: dict = {key: _utc(value, zone) if key in ("starts_at", "ends_at") else value for key, value in data.items()}
    if row.get("hours") is not None:
        row["hours"] = round(float(row["hours"]), 2)
    return row


def _utc(value: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(dt.timezone.utc)


def _set_speakers(row: ProgrammeSession, speaker_ids: list[str]) -> None:
    """Keep the links that stay (same primary key), in the given order."""
    existing = {link.speaker_id: link for link in row.speaker_links}
    links = []
    for position, speaker_id in enumerate(speaker_ids):
        link = existing.get(speaker_id) or SessionSpeaker(speaker_id=speaker_id)
        link.position = position
        links.append(link)
    row.speaker_links = links


def _check(session: Session, event: Event, row: ProgrammeSession, speaker_ids: list[str]) -> None:
    """Checked before anything reaches the database: the queries below must not
    flush a changed row first (an unknown room id would fail there, on its
    foreign key, instead of being refused here naming the field)."""
    with session.no_autoflush:
        _check_values(session, event, row, speaker_ids)


def _check_credits(row: ProgrammeSession, credits: list) -> None:
    """A break certifies nothing: no hours, no credits."""
    if row.kind == "break" and row.hours:
        raise Unprocessable("a break certifies no hours", field="hours")
    if row.kind == "break" and credits:
        raise Unprocessable("a break grants no credits", field="credits")


def _check_values(session: Session, event: Event, row: ProgrammeSession, speaker_ids: list[str]) -> None:
    if row.ends_at <= row.starts_at:
        raise Unprocessable("must be after starts_at", field="ends_at")
    for field, model in REFERENCES.items():
        value = getattr(row, field)
        if value is not None and session.scalar(select(model.event_id).where(model.id == value)) != event.id:
            raise Unprocessable(f"no such {field[:-3].replace('_', ' ')} in this event", field=field)
    if len(set(speaker_ids)) != len(speaker_ids):
        raise Unprocessable("a speaker is listed twice", field="speaker_ids")
    known = set(session.scalars(select(Speaker.id).where(Speaker.event_id == event.id, Speaker.id.in_(speaker_ids))))
    if set(speaker_ids) - known:
        raise Unprocessable(
            "no such speaker(s) in this event: " + ", ".join(sorted(set(speaker_ids) - known)), field="speaker_ids"
        )
    if row.kind == "break" and (speaker_ids or row.requires_signup):
        raise Unprocessable("a break has no speakers and no sign-up", field="kind")
    check_session_delivery(row.delivery_mode, row.online, event.delivery_mode, event.online)
