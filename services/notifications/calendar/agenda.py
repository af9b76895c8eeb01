"""What a participant's agenda feed holds, from notifications' copies: the
event while the registration is confirmed, and each workshop the person
holds a seat in. Cancelled items stay (STATUS:CANCELLED) until they are
over, then drop out; a lost seat drops out at once (clients delete it).
Online and hybrid items carry their join details (CONFERENCE, LOCATION,
DESCRIPTION) while they are live: the feed exists only for confirmed
people, and a cancelled item no longer tells how to join."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import NotifyConfig
from ..models import Attendee, EventCopy, Feed, SessionCopy, WorkshopSeat
from ..online_rooms import JoinDetails, for_event, for_session
from .conference import conference_links, description_with_room, location_with_room
from .feeds import AgendaItem, agenda_uid, build_agenda

SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class FeedBody:
    body: bytes
    etag: str
    last_modified: dt.datetime


def agenda_items(
    session: Session, config: NotifyConfig, attendee: Attendee | None, event: EventCopy | None, now: dt.datetime
) -> list[AgendaItem]:
    if attendee is None or event is None or not attendee.confirmed:
        return []
    language = attendee.locale
    items = []
    if not (event.status == "cancelled" and event.ends_at <= now):
        cancelled = event.status == "cancelled"
        item = AgendaItem(
            uid=agenda_uid("event", event.event_id, config.host),
            sequence=event.sequence,
            updated_at=event.updated_at,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            summary=event.title(language),
            location=event.venue,
            description="",
            url=event.url,
            cancelled=cancelled,
        )
        items.append(_with_room(item, None if cancelled else for_event(event, attendee), language))
    rows = session.execute(
        select(WorkshopSeat, SessionCopy)
        .join(SessionCopy, SessionCopy.guid == WorkshopSeat.session_guid)
        .where(WorkshopSeat.registration_id == attendee.registration_id)
    ).all()
    for seat, workshop in rows:
        if seat.status == "confirmed" or (seat.kept_until_over and workshop.cancelled):
            if not (workshop.cancelled and workshop.ends_at <= now):
                live = seat.status == "confirmed" and not workshop.cancelled
                join = for_session(workshop, event, attendee) if live else None
                items.append(_with_room(_session_item(config, workshop, event, language), join, language))
    return items


def _session_item(config: NotifyConfig, workshop: SessionCopy, event: EventCopy, language: str) -> AgendaItem:
    return AgendaItem(
        uid=agenda_uid("session", workshop.guid, config.host),
        sequence=workshop.sequence,
        updated_at=workshop.updated_at,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=workshop.title(language),
        location=", ".join(p for p in (workshop.room, event.venue) if p),
        description=event.title(language),
        url=workshop.url,
        cancelled=workshop.cancelled,
    )


def _with_room(item: AgendaItem, join: JoinDetails | None, language: str) -> AgendaItem:
    if join is None:
        return item
    return replace(
        item,
        location=location_with_room(join, item.location),
        description=description_with_room(join, item.description, language),
        conferences=conference_links(join, language),
    )


def render_feed(session: Session, config: NotifyConfig, feed: Feed, now: dt.datetime) -> FeedBody:
    """The feed's bytes, strong ETag and a Last-Modified that only moves
    forward: it is bumped (and stored) whenever the bytes differ from the
    last ones served, so dropping an item never makes it older."""
    attendee = session.get(Attendee, feed.registration_id)
    event = session.get(EventCopy, attendee.event_id) if attendee is not None else None
    items = agenda_items(session, config, attendee, event, now)
    title = event.title(attendee.locale) if event is not None and attendee is not None else "Eventi"
    body = build_agenda(
        items,
        calendar_uid=f"agenda-{feed.registration_id}@{config.host}",
        title=title,
        language=attendee.locale if attendee else "it",
        timezone=event.timezone if event else "Europe/Rome",
        refresh=config.feed_refresh,
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    if feed.etag != etag or feed.last_modified is None:
        floor = now.replace(microsecond=0)
        feed.last_modified = max(floor, feed.last_modified + SECOND) if feed.last_modified else floor
        feed.etag = etag
    return FeedBody(body, etag, feed.last_modified)
