"""Per-process caches behind the public feeds and exports.

- which version of an event is current: looked up in the database, kept for
  `lookup_ttl` seconds (default 1 s: another worker's release shows within
  that; the releasing process forgets at once);
- the parsed snapshot of a version (a version never changes);
- rendered bodies with their ETag and Last-Modified, keyed by (output, event
  revision, version, cancelled sessions already over): identical data gives
  the identical cached bytes, so a warm request does no rendering at all.

A release marks its session (`forget_on_commit`); the cache of the sessions'
factory forgets the event's current version once that transaction commits,
whoever released (the API, a page, the seed)."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.http import http_date

from .delivery import public_delivery
from .models import Event, ScheduleVersion
from .programme.released import EventFacts, ReleasedSchedule, VersionFacts

HOT_ENTRIES = 4096
RELEASED = "scheduling.released_slugs"  # session.info: events whose schedule this transaction released


def forget_on_commit(session: Session, slug: str) -> None:
    """Once this session's transaction commits, the schedule cache of its
    session factory (if any) forgets the event's current version. Other
    processes see the release within their lookup_ttl."""
    session.info.setdefault(RELEASED, set()).add(slug)


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str  # strong, quoted: a hash of exactly these bytes
    last_modified: dt.datetime

    @cached_property
    def gzipped(self) -> tuple[bytes, str]:
        """The gzip representation (deterministic: no timestamp) and its own
        strong ETag, made on the first request that accepts gzip."""
        body = gzip.compress(self.body, compresslevel=6, mtime=0)
        return body, self.etag[:-1] + '-gzip"'

    @cached_property
    def http_date(self) -> str:
        return http_date(self.last_modified)


@dataclass(frozen=True)
class Hot:
    """The last answer for (slug, output): good while the version lookup is
    fresh and until the next cancelled session ends."""

    checked: float
    until: dt.datetime
    rendered: Rendered


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


class LRU:
    def __init__(self, size: int):
        self.size, self.lock = size, threading.Lock()
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def pop(self, key) -> None:
        with self.lock:
            self.items.pop(key, None)


class ScheduleCache:
    def __init__(
        self,
        session_factory: sessionmaker,
        *,
        lookup_ttl: float = 1.0,
        bodies: int = 64,
        schedules: int = 8,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.session_factory, self.lookup_ttl, self.monotonic = session_factory, lookup_ttl, monotonic
        self.lookups, self.schedules, self.bodies = LRU(1024), LRU(schedules), LRU(bodies)
        self.hot: dict[tuple[str, str], Hot] = {}
        sqlalchemy_event.listen(session_factory, "after_commit", self._after_commit)

    def rendered(
        self, slug: str, output: str, render: Callable[[ReleasedSchedule], bytes], now: dt.datetime
    ) -> Rendered | None:
        """The output for the current release, rendered at most once per
        process; None if the event is not public or has no release."""
        hot = self.hot.get((slug, output))
        if hot is not None and self.monotonic() - hot.checked < self.lookup_ttl and now < hot.until:
            return hot.rendered  # the fast path: no lookup, no hashing of keys
        checked = self.monotonic()
        schedule = self.current_schedule(slug)
        if schedule is None:
            return None
        dropped, _ = schedule.dropped_marker(now)
        key = (
            output,
            schedule.event.id,
            schedule.event.revision,
            schedule.event.updated_at,
            schedule.version.id,
            dropped,
        )
        cached = self.bodies.get(key)
        if cached is None:
            body = render(schedule)
            cached = Rendered(body, strong_etag(body), schedule.last_modified(now))
            self.bodies.put(key, cached)
        if len(self.hot) > HOT_ENTRIES:
            self.hot.clear()
        self.hot[(slug, output)] = Hot(checked, schedule.next_drop(now), cached)
        return cached

    def current_schedule(self, slug: str) -> ReleasedSchedule | None:
        current = self._current(slug)
        if current is None:
            return None
        event, version = current
        schedule = self.schedules.get(version.id)
        if schedule is None or (schedule.event is not event and schedule.event != event):
            schedule = ReleasedSchedule.parse(event, version, self._snapshot(version.id))
            self.schedules.put(version.id, schedule)
        return schedule

    def forget(self, slug: str) -> None:
        """Drop what this process knows about the event's current version."""
        self.lookups.pop(slug)
        for key in [key for key in list(self.hot) if key[0] == slug]:
            self.hot.pop(key, None)

    def _after_commit(self, session: Session) -> None:
        for slug in session.info.pop(RELEASED, ()):
            self.forget(slug)

    def _current(self, slug: str) -> tuple[EventFacts, VersionFacts] | None:
        cached = self.lookups.get(slug)
        if cached is not None and self.monotonic() - cached[0] < self.lookup_ttl:
            return cached[1]
        current = self._lookup(slug)
        self.lookups.put(slug, (self.monotonic(), current))
        return current

    def _lookup(self, slug: str) -> tuple[EventFacts, VersionFacts] | None:
        query = (
            select(
                Event.id,
                Event.slug,
                Event.title_it,
                Event.title_en,
                Event.timezone,
                Event.starts_at,
                Event.ends_at,
                Event.venue,
                Event.revision,
                Event.updated_at,
                Event.delivery_mode,
                Event.online_platform,
                ScheduleVersion.id,
                ScheduleVersion.number,
                ScheduleVersion.name,
                ScheduleVersion.released_at,
            )
            .join(ScheduleVersion, ScheduleVersion.event_id == Event.id)
            .where(Event.slug == slug, Event.status != "draft")
            .order_by(ScheduleVersion.number.desc())
            .limit(1)
        )
        with self.session_factory() as session:
            row = session.execute(query).first()
        if row is None:
            return None
        mode, platform = row[10], row[11]
        public = public_delivery(mode, {"platform": platform} if platform else None)
        event = replace(EventFacts(*row[:10]), delivery_mode=mode, platform=public["platform"])
        return event, VersionFacts(*row[12:])

    def _snapshot(self, version_id: str) -> str:
        with self.session_factory() as session:
            return session.scalar(select(ScheduleVersion.snapshot).where(ScheduleVersion.id == version_id))
