"""Change digests: schedule changes touching a person within
DIGEST_WINDOW_SECONDS (from the first change) become one e-mail listing
them all, instead of one mail per edit.

Invitations still follow each item, once per window whatever the number of
edits: when the window holds one item, its mail (`schedule_change`) carries
the REQUEST with a higher SEQUENCE (or the CANCEL); when it holds several,
one `schedule_digest` lists them and each item's invitation follows in a
short `calendar_update` mail, because one iTIP message carries one UID and
one METHOD. Items that ended where they started (moved and moved back)
are dropped without a mail or a new SEQUENCE."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from shared.db import utcnow

from .calendar.feed_tokens import feed_links
from .config import NotifyConfig
from .copies import ItemChange
from .digest_items import DigestItem, World, item_for, load_world
from .mail.outgoing import delivery_row, queue_many
from .models import DigestEntry
from .store.wakeups import DIGEST, mark

CHUNK = 500
RETRY_LATER = dt.timedelta(minutes=10)
log = logging.getLogger(__name__)


def add_entries(
    session: Session,
    config: NotifyConfig,
    registration_ids: list[str],
    *,
    kind: str,
    key: str,
    change: ItemChange,
    now: dt.datetime | None = None,
) -> None:
    """One entry per person for this item, merged into a waiting one; a
    person's window starts with their first waiting change."""
    if not registration_ids:
        return
    now = now or utcnow()
    previous = change.previous.as_json() if change.previous else None
    for start in range(0, len(registration_ids), CHUNK):
        ids = registration_ids[start : start + CHUNK]
        waiting = {
            e.registration_id: e
            for e in session.scalars(
                select(DigestEntry).where(DigestEntry.item_key == key, DigestEntry.registration_id.in_(ids))
            )
        }
        due = dict(
            session.execute(
                select(DigestEntry.registration_id, func.min(DigestEntry.due_at))
                .where(DigestEntry.registration_id.in_(ids))
                .group_by(DigestEntry.registration_id)
            ).all()
        )
        for entry in waiting.values():
            entry.merge(list(change.kinds), previous)
        rows = [
            {
                "registration_id": rid,
                "item_kind": kind,
                "item_key": key,
                "changes": sorted(change.kinds),
                "previous": previous,
                "created_at": now,
                "due_at": due.get(rid, now + config.digest_window),
            }
            for rid in dict.fromkeys(ids)
            if rid not in waiting
        ]
        if rows:
            session.execute(insert(DigestEntry), rows)
    mark(session, DIGEST)


def flush_due(factory: sessionmaker, config: NotifyConfig, *, now: dt.datetime | None = None, batch: int = 100) -> int:
    """Send every digest whose window has closed, `batch` people per
    transaction (so the sender starts on the first while the next is built).
    Returns how many mails were queued."""
    total = 0
    while True:
        with factory() as session, session.begin():
            queued = flush_batch(session, config, now or utcnow(), batch)
        if queued is None:
            return total
        total += queued


def flush_batch(session: Session, config: NotifyConfig, now: dt.datetime, batch: int) -> int | None:
    """None when nothing is due."""
    due = (
        session.execute(
            select(DigestEntry.registration_id)
            .where(DigestEntry.due_at <= now)
            .order_by(DigestEntry.due_at, DigestEntry.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    if not due:
        return None
    people = list(dict.fromkeys(due))
    entries = session.scalars(
        select(DigestEntry)
        .where(DigestEntry.registration_id.in_(people))
        .order_by(DigestEntry.id)
        .with_for_update(skip_locked=True)
    ).all()
    world = load_world(session, people, entries)
    by_person: dict[str, list[DigestEntry]] = {}
    for entry in entries:
        by_person.setdefault(entry.registration_id, []).append(entry)
    rows: list[dict] = []
    for person in people:
        try:
            rows += _mails(config, world, person, by_person.get(person, []))
        except Exception:  # one broken digest must not hold back everyone else's
            log.exception("digest for registration %s failed; retrying in %s", person, RETRY_LATER)
            for entry in by_person.pop(person, []):
                entry.due_at = now + RETRY_LATER
    queue_many(session, rows)
    done = [e.id for mine in by_person.values() for e in mine]
    session.execute(delete(DigestEntry).where(DigestEntry.id.in_(done)).execution_options(synchronize_session=False))
    return len(rows)


def _mails(config: NotifyConfig, world: World, person: str, entries: list[DigestEntry]) -> list[dict]:
    """The delivery rows for one person's closed window (none if nothing is left to say)."""
    attendee = world.attendees.get(person)
    event = world.events.get(attendee.event_id) if attendee is not None else None
    if attendee is None or attendee.erased_at is not None or attendee.unsubscribed_at is not None or event is None:
        return []  # unsubscribed: the entries go without a mail (the agenda feed still follows the changes)
    items = [
        item
        for entry in sorted(entries, key=lambda e: (e.item_kind != "event", e.id))
        if (item := item_for(config, world, attendee, event, entry)) is not None
    ]
    if not items:
        return []
    feed = world.feeds.get(person)
    common = {
        "participant": attendee.as_participant(),
        "event": event.as_summary(),
        "registration_id": person,
        "feed": feed_links(config, feed.token) if feed is not None and feed.token else None,
    }
    if len(items) == 1:
        return [_row(config, "schedule_change", items[0], common)]
    digest = delivery_row(config, kind="schedule_digest", changes=[i.change for i in items], **common)
    return [digest, *(_row(config, "calendar_update", i, common) for i in items if i.calendar is not None)]


def _row(config: NotifyConfig, kind: str, item: DigestItem, common: dict) -> dict:
    join = item.join.as_context() if item.join is not None else None
    return delivery_row(
        config, kind=kind, changes=[item.change], calendar=item.calendar, method=item.method, join=join, **common
    )
