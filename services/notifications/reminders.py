"""Reminders REMINDER_LEAD_SECONDS before each event and each workshop, to
the people holding a seat then. Each (registration, item) is reminded once:
the reminders_sent row is written in the same transaction as the mail.
People confirmed inside the lead time were just told everything and are
marked as reminded without a mail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session, sessionmaker

from shared.db import utcnow

from .calendar.feed_tokens import feed_links
from .config import NotifyConfig
from .mail.mail_context import session_view
from .mail.outgoing import delivery_row, queue_many
from .models import Attendee, EventCopy, Feed, ReminderSent, SessionCopy, WorkshopSeat


def send_due_reminders(factory: sessionmaker, config: NotifyConfig, now: dt.datetime | None = None) -> int:
    """The worker's periodic job: one transaction per event or workshop."""
    now, sent = now or utcnow(), 0
    with factory() as session:
        events = session.scalars(_upcoming(EventCopy, config, now)).all()
        workshops = session.scalars(
            _upcoming(SessionCopy, config, now).where(exists().where(WorkshopSeat.session_guid == SessionCopy.guid))
        ).all()
    for copy in (*events, *workshops):
        with factory() as session, session.begin():
            sent += remind(
                session,
                config,
                copy.event_id if isinstance(copy, EventCopy) else copy.guid,
                workshop=isinstance(copy, SessionCopy),
                now=now,
            )
    return sent


def _upcoming(model, config: NotifyConfig, now: dt.datetime):
    return select(model).where(
        model.starts_at > now, model.starts_at <= now + config.reminder_lead, model.status != "cancelled"
    )


def remind(session: Session, config: NotifyConfig, key: str, *, workshop: bool, now: dt.datetime) -> int:
    """Remind everyone due for one item; the item's row is locked so two
    workers never remind the same people."""
    locked = {"skip_locked": True}
    item: EventCopy | SessionCopy | None
    if workshop:
        item = session.get(SessionCopy, key, with_for_update=locked)
        event = session.get(EventCopy, item.event_id) if item is not None else None
    else:
        item = event = session.get(EventCopy, key, with_for_update=locked)
    if item is None or event is None:
        return 0
    people = session.scalars(_due_people(key, workshop, item.event_id)).all()
    if not people:
        return 0
    session.execute(
        insert(ReminderSent), [{"registration_id": p.registration_id, "item_key": key, "sent_at": now} for p in people]
    )
    told = item.starts_at - config.reminder_lead
    feeds = {
        f.registration_id: f.token
        for f in session.scalars(select(Feed).where(Feed.registration_id.in_([p.registration_id for p in people])))
    }
    rows = [
        _row(config, person, event, item if isinstance(item, SessionCopy) else None, feeds.get(person.registration_id))
        for person in people
        if person.updated_at < told
    ]  # confirmed inside the lead time: already told
    queue_many(session, rows)
    return len(rows)


def _due_people(key: str, workshop: bool, event_id: str):
    not_yet = ~exists().where(ReminderSent.registration_id == Attendee.registration_id, ReminderSent.item_key == key)
    query = select(Attendee).where(
        Attendee.event_id == event_id,
        Attendee.status == "confirmed",
        Attendee.erased_at.is_(None),
        Attendee.unsubscribed_at.is_(None),  # used the List-Unsubscribe link
        not_yet,
    )
    if workshop:
        query = query.where(
            exists().where(
                WorkshopSeat.registration_id == Attendee.registration_id,
                WorkshopSeat.session_guid == key,
                WorkshopSeat.status == "confirmed",
            )
        )
    return query.order_by(Attendee.registration_id)


def _row(
    config: NotifyConfig, person: Attendee, event: EventCopy, workshop: SessionCopy | None, token: str | None
) -> dict:
    return delivery_row(
        config,
        kind="reminder",
        participant=person.as_participant(),
        event=event.as_summary(),
        registration_id=person.registration_id,
        workshop=session_view(workshop.as_facts() if workshop else None, event.timezone, person.locale),
        feed=feed_links(config, token) if token else None,
    )
