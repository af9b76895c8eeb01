"""One digest entry made concrete at send time: the item's current state
(from the copies) against where it was, the wording for the mail, and the
invitation update (which raises the SEQUENCE once per window)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.formatting import format_when

from .calendar.calendar_items import event_calendar, session_calendar
from .config import NotifyConfig
from .mail.mail_context import Change
from .models import ACTIVE_STATES, Attendee, DigestEntry, EventCopy, Feed, Invitation, SessionCopy, WorkshopSeat
from .online_rooms import JoinDetails, for_event, for_session


@dataclass
class World:
    """Everything a batch of digests needs, loaded with one query per table."""

    attendees: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    seats: dict = field(default_factory=dict)
    invitations: dict = field(default_factory=dict)
    feeds: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DigestItem:
    change: Change
    calendar: bytes | None
    method: str | None
    join: JoinDetails | None = None  # with an updated REQUEST only


def load_world(session: Session, people: list[str], entries: Sequence[DigestEntry]) -> World:
    world = World()
    world.attendees = {
        a.registration_id: a for a in session.scalars(select(Attendee).where(Attendee.registration_id.in_(people)))
    }
    event_ids = {a.event_id for a in world.attendees.values()}
    world.events = {e.event_id: e for e in session.scalars(select(EventCopy).where(EventCopy.event_id.in_(event_ids)))}
    guids = {e.item_key for e in entries if e.item_kind == "session"}
    if guids:
        world.sessions = {s.guid: s for s in session.scalars(select(SessionCopy).where(SessionCopy.guid.in_(guids)))}
        world.seats = {
            (s.registration_id, s.session_guid): s
            for s in session.scalars(
                select(WorkshopSeat)
                .where(WorkshopSeat.registration_id.in_(people), WorkshopSeat.session_guid.in_(guids))
                .with_for_update()
            )
        }
    if any(e.item_kind == "event" for e in entries):
        world.invitations = {
            i.registration_id: i
            for i in session.scalars(select(Invitation).where(Invitation.registration_id.in_(people)).with_for_update())
        }
    world.feeds = {f.registration_id: f for f in session.scalars(select(Feed).where(Feed.registration_id.in_(people)))}
    return world


def item_for(
    config: NotifyConfig, world: World, attendee: Attendee, event: EventCopy, entry: DigestEntry
) -> DigestItem | None:
    if entry.item_kind == "event":
        return _event_item(config, world, attendee, event, entry)
    return _session_item(config, world, attendee, event, entry)


def _event_item(config, world: World, attendee: Attendee, event: EventCopy, entry: DigestEntry):
    if attendee.status not in ACTIVE_STATES:
        return None
    language = attendee.locale
    change = _change(
        entry,
        event.title(language),
        event.starts_at,
        event.ends_at,
        event.venue,
        event.status == "cancelled",
        event.timezone,
        language,
    )
    if change is None or (_only_online(change) and not attendee.confirmed):
        return None
    invitation = world.invitations.get(attendee.registration_id)
    method = _advance(invitation, change.cancelled)
    join = for_event(event, attendee) if method == "REQUEST" else None
    calendar = (
        event_calendar(config, invitation, event.as_summary(), attendee.as_participant(), method, join)
        if invitation is not None and method
        else None
    )
    return DigestItem(change, calendar, method, join)


def _session_item(config, world: World, attendee: Attendee, event: EventCopy, entry: DigestEntry):
    seat = world.seats.get((attendee.registration_id, entry.item_key))
    workshop = world.sessions.get(entry.item_key)
    if seat is None or workshop is None or not (seat.status == "confirmed" or seat.kept_until_over):
        return None
    language = attendee.locale
    change = _change(
        entry,
        workshop.title(language),
        workshop.starts_at,
        workshop.ends_at,
        workshop.room,
        workshop.cancelled,
        event.timezone,
        language,
    )
    if change is None or (_only_online(change) and not attendee.confirmed):
        return None
    method = _advance(seat, change.cancelled)
    join = for_session(workshop, event, attendee) if method == "REQUEST" and seat.status == "confirmed" else None
    calendar = (
        session_calendar(config, seat, workshop, event, attendee.as_participant(), method, join) if method else None
    )
    return DigestItem(change, calendar, method, join)


def _only_online(change: Change) -> bool:
    return change.online and not (change.moved or change.re_roomed or change.cancelled)


def _advance(invitation, cancelled: bool) -> str | None:
    """The invitation's next message: CANCEL, an updated REQUEST, or none
    (no live invitation: waiting list, offer, already cancelled)."""
    if invitation is None:
        return None
    if cancelled:
        return "CANCEL" if invitation.cancel() else None
    return "REQUEST" if invitation.update() else None


def _change(
    entry: DigestEntry,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    room: str | None,
    cancelled: bool,
    timezone: str,
    language: str,
) -> Change | None:
    previous = entry.previous or {}
    kinds = set(entry.changes or ())
    if previous:
        before = (_instant(previous["starts_at"]), _instant(previous["ends_at"]))
        moved, re_roomed = before != (starts_at, ends_at), (previous.get("room") or None) != (room or None)
    else:
        before, moved, re_roomed = None, "moved" in kinds, "re_roomed" in kinds
    online = "online" in kinds
    if not (moved or re_roomed or cancelled or online):
        return None  # back where it was: nothing to tell, no new SEQUENCE
    return Change(
        title=title,
        when=_when(starts_at, ends_at, timezone, language),
        room=room or None,
        previous_when=_when(*before, timezone, language) if before else None,
        previous_room=previous.get("room") or None,
        moved=moved,
        re_roomed=re_roomed,
        cancelled=cancelled,
        changed="changed" in kinds,
        online=online and not cancelled,
    )


@lru_cache(maxsize=256)
def _when(starts_at: dt.datetime, ends_at: dt.datetime, timezone: str, language: str) -> str:
    """format_when, remembered: a release tells thousands of people the same times."""
    return format_when(starts_at, ends_at, timezone, language)


@lru_cache(maxsize=256)
def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
