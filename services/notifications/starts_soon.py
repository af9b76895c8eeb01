""" "Starts soon" mails: STARTS_SOON_MINUTES before each online or hybrid
item, each confirmed person gets the join link (their own when they have
one). The items are the event's sessions when it has a released programme
(every lesson for everyone confirmed, a workshop for its seat holders), the
event itself otherwise. Once per person and item over restarts and replicas:
the starts_soon_sent row is written in the same transaction as the mail, and
the item's row is locked while it is done. People confirmed inside that
time just got the invitation with the link and are marked without a mail;
cancelled items and people get nothing."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session, sessionmaker

from shared.db import utcnow

from .calendar.feed_tokens import feed_links
from .config import NotifyConfig
from .mail.mail_context import session_view
from .mail.outgoing import delivery_row, queue_many
from .models import Attendee, EventCopy, Feed, SessionCopy, StartsSoonSent, WorkshopSeat
from .online_rooms import ONLINE_MODES, JoinDetails, for_event, for_session

ItemKind = Literal["event", "lesson", "workshop"]


def send_due_starts_soon(factory: sessionmaker, config: NotifyConfig, now: dt.datetime | None = None) -> int:
    """The worker's periodic job: one transaction per event or session."""
    now, sent = now or utcnow(), 0
    with factory() as session:
        keys = [(s.guid, _session_kind(s)) for s in session.scalars(_upcoming(SessionCopy, config, now))]
        events = session.scalars(
            _upcoming(EventCopy, config, now).where(EventCopy.delivery_mode.in_(ONLINE_MODES), ~_has_lessons())
        )
        keys += [(e.event_id, "event") for e in events]
    for key, kind in keys:
        with factory() as session, session.begin():
            sent += tell(session, config, key, kind=kind, now=now)
    return sent


def _has_lessons():
    """A released programme with sessions for everyone: they are reminded one by one."""
    return (
        exists()
        .where(SessionCopy.event_id == EventCopy.event_id, SessionCopy.kind == "session")
        .where(~SessionCopy.requires_signup)
    )


def _session_kind(item: SessionCopy) -> ItemKind:
    return "workshop" if item.requires_signup else "lesson"


def _upcoming(model, config: NotifyConfig, now: dt.datetime):
    query = select(model).where(
        model.starts_at > now, model.starts_at <= now + config.starts_soon, model.status != "cancelled"
    )
    return query.where(model.kind == "session") if model is SessionCopy else query


def tell(session: Session, config: NotifyConfig, key: str, *, kind: ItemKind, now: dt.datetime) -> int:
    """Mail everyone due for one item; returns how many mails were queued."""
    locked = {"skip_locked": True}
    item: EventCopy | SessionCopy | None
    if kind != "event":
        item = session.get(SessionCopy, key, with_for_update=locked)
        event = session.get(EventCopy, item.event_id) if item is not None else None
    else:
        item = event = session.get(EventCopy, key, with_for_update=locked)
    if item is None or event is None or event.status == "cancelled":
        return 0
    due = [
        (person, join)
        for person in session.scalars(_due_people(key, kind, item.event_id))
        if (join := _join(item, event, person)) is not None
    ]  # an in-person session of a hybrid event, or a room not known yet: nothing to send
    if not due:
        return 0
    ids = [person.registration_id for person, _join_details in due]
    session.execute(insert(StartsSoonSent), [{"registration_id": rid, "item_key": key, "sent_at": now} for rid in ids])
    feeds = {f.registration_id: f.token for f in session.scalars(select(Feed).where(Feed.registration_id.in_(ids)))}
    told = item.starts_at - config.starts_soon
    rows = [
        _row(
            config,
            person,
            event,
            item if isinstance(item, SessionCopy) else None,
            kind,
            join,
            feeds.get(person.registration_id),
        )
        for person, join in due
        if person.updated_at < told
    ]
    queue_many(session, rows)
    return len(rows)


def _join(item: EventCopy | SessionCopy, event: EventCopy, person: Attendee) -> JoinDetails | None:
    if isinstance(item, SessionCopy):
        return for_session(item, event, person)
    return for_event(event, person)


def _due_people(key: str, kind: ItemKind, event_id: str):
    not_yet = ~exists().where(
        StartsSoonSent.registration_id == Attendee.registration_id, StartsSoonSent.item_key == key
    )
    query = select(Attendee).where(
        Attendee.event_id == event_id, Attendee.status == "confirmed", Attendee.erased_at.is_(None), not_yet
    )
    if kind == "workshop":
        query = query.where(
            exists().where(
                WorkshopSeat.registration_id == Attendee.registration_id,
                WorkshopSeat.session_guid == key,
                WorkshopSeat.status == "confirmed",
            )
        )
    return query.order_by(Attendee.registration_id)


def _row(
    config: NotifyConfig,
    person: Attendee,
    event: EventCopy,
    item: SessionCopy | None,
    kind: ItemKind,
    join: JoinDetails,
    token: str | None,
) -> dict:
    return delivery_row(
        config,
        kind="starts_soon",
        participant=person.as_participant(),
        event=event.as_summary(),
        registration_id=person.registration_id,
        workshop=session_view(item.as_facts() if item else None, event.timezone, person.locale),
        lesson=kind == "lesson",
        join=join.as_context(),
        feed=feed_links(config, token) if token else None,
    )
