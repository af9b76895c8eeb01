"""Programme use cases: rooms, tracks, session types and speakers of an
event (organisers only). Each takes a session and plain data, never commits."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.errors import Conflict, NotFound

from ..models import Event, ProgrammeSession, Room, SessionSpeaker, SessionType, Speaker, Track

# model -> (column that must be unique within the event, API field naming it)
UNIQUE = {Room: ("name", "name"), Track: ("name_it", "name"), SessionType: ("name_it", "name"), Speaker: (None, None)}
# model -> the session column that refers to it (speakers: the link table)
REFERENCE = {Room: ProgrammeSession.room_id, Track: ProgrammeSession.track_id, SessionType: ProgrammeSession.type_id}
LABEL = {Room: "room", Track: "track", SessionType: "session type", Speaker: "speaker"}


def organised_event(session: Session, organiser: Organiser, slug: str, *, lock: bool = True) -> Event:
    """The event, if this organiser may edit its programme (404, else 403).
    Locked: edits and releases of one event take turns."""
    query = select(Event).where(Event.slug == slug)
    event = session.scalar(query.with_for_update() if lock else query)
    if event is None:
        raise NotFound(f"no event {slug!r}", field="slug")
    organiser.require_role(
        event.organisation_ids, "owner", "organiser", not_found=NotFound(f"no event {slug!r}", field="slug")
    )
    return event


def list_items(session: Session, organiser: Organiser, slug: str, model) -> list:
    event = organised_event(session, organiser, slug, lock=False)
    order = {
        Room: (Room.position, Room.name),
        Track: (Track.name_it,),
        SessionType: (SessionType.name_it,),
        Speaker: (Speaker.name, Speaker.id),
    }[model]
    return list(session.scalars(select(model).where(model.event_id == event.id).order_by(*order)))


def add_item(session: Session, organiser: Organiser, slug: str, model, data: dict):
    event = organised_event(session, organiser, slug)
    _check_unique(session, model, event.id, data)
    item = model(event_id=event.id, **data)
    session.add(item)
    session.flush()
    return item


def update_item(session: Session, organiser: Organiser, slug: str, model, item_id: str, data: dict):
    event = organised_event(session, organiser, slug)
    item = item_of(session, model, event.id, item_id)
    _check_unique(session, model, event.id, data, item_id)
    for key, value in data.items():
        setattr(item, key, value)
    session.flush()
    return item


def delete_item(session: Session, organiser: Organiser, slug: str, model, item_id: str) -> None:
    """Refused while an active session uses it; cancelled sessions let go of
    it (their released data keeps the old name)."""
    event = organised_event(session, organiser, slug)
    item = item_of(session, model, event.id, item_id)
    if _used_by_active_session(session, model, item_id):
        raise Conflict(f"the {LABEL[model]} is used by a session: move or delete that first", field="id")
    if model is Speaker:
        links = delete(SessionSpeaker).where(SessionSpeaker.speaker_id == item_id)
        session.execute(links.execution_options(synchronize_session=False))
    else:
        session.execute(update(ProgrammeSession).where(REFERENCE[model] == item_id).values({REFERENCE[model]: None}))
    session.delete(item)
    session.flush()


def item_of(session: Session, model, event_id: str, item_id: str):
    item = session.get(model, item_id)
    if item is None or item.event_id != event_id:
        raise NotFound(f"no {LABEL[model]} {item_id!r} in this event", field="id")
    return item


def _check_unique(session: Session, model, event_id: str, data: dict, item_id: str | None = None) -> None:
    column, field = UNIQUE[model]
    if column is None or column not in data:
        return
    query = select(model.id).where(model.event_id == event_id, getattr(model, column) == data[column])
    if item_id is not None:
        query = query.where(model.id != item_id)
    if session.scalar(query):
        raise Conflict(f"this event already has a {LABEL[model]} called {data[column]!r}", field=field)


def _used_by_active_session(session: Session, model, item_id: str) -> bool:
    if model is Speaker:
        query = (
            select(ProgrammeSession.id)
            .join(SessionSpeaker, SessionSpeaker.session_id == ProgrammeSession.id)
            .where(SessionSpeaker.speaker_id == item_id)
        )
    else:
        query = select(ProgrammeSession.id).where(REFERENCE[model] == item_id)
    return session.scalar(query.where(ProgrammeSession.status == "active").limit(1)) is not None
