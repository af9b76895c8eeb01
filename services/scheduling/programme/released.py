"""A released schedule in memory: the version's JSON snapshot parsed once,
plus the event facts that feeds and exports print. Pure: no database, no
clock (callers pass `now`)."""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass, field

FILTERS = ("room", "track", "speaker")


@dataclass(frozen=True)
class EventFacts:
    id: str
    slug: str
    title_it: str
    title_en: str | None
    timezone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    revision: int
    updated_at: dt.datetime
    delivery_mode: str = "in_person"
    platform: str | None = None  # the event's online platform; its room is not public


@dataclass(frozen=True)
class VersionFacts:
    id: str
    number: int
    name: str
    released_at: dt.datetime


@dataclass(frozen=True)
class ReleasedSession:
    entry: dict
    starts_at: dt.datetime
    ends_at: dt.datetime
    updated_at: dt.datetime

    @property
    def id(self) -> int:
        return self.entry["id"]

    @property
    def cancelled(self) -> bool:
        return self.entry["status"] == "cancelled"

    @property
    def is_break(self) -> bool:
        return self.entry["kind"] == "break"

    def title(self) -> str:
        return localized(self.entry["title"], self.entry["language"])

    def abstract(self) -> str:
        return localized(self.entry["abstract"], self.entry["language"])


@dataclass
class ReleasedSchedule:
    event: EventFacts
    version: VersionFacts
    snapshot: dict
    sessions: list[ReleasedSession]
    _cancelled_ends: list[dt.datetime] = field(default_factory=list)
    _index: dict[tuple[str, str], dict] = field(default_factory=dict)

    @classmethod
    def parse(cls, event: EventFacts, version: VersionFacts, snapshot_json: str) -> ReleasedSchedule:
        snapshot = json.loads(snapshot_json)
        sessions = [
            ReleasedSession(entry, _time(entry["starts_at"]), _time(entry["ends_at"]), _time(entry["updated_at"]))
            for entry in snapshot["sessions"]
        ]
        ends = sorted(s.ends_at for s in sessions if s.cancelled and not s.is_break)
        index = {(kind, item["id"]): item for kind in FILTERS for item in snapshot[kind + "s"]}
        return cls(event, version, snapshot, sessions, ends, index)

    def delivery_of(self, session: ReleasedSession) -> tuple[str, str | None]:
        """A session's delivery mode and platform: its own, else the event's."""
        mode = session.entry.get("delivery_mode") or self.event.delivery_mode
        platform = session.entry.get("platform") or self.event.platform
        return mode, platform if mode != "in_person" else None

    def find(self, kind: str, key: str) -> dict | None:
        """The room, track or speaker with this id in the release, or None."""
        return self._index.get((kind, key))

    def talks(self, kind: str | None = None, key: str | None = None) -> list[ReleasedSession]:
        """Sessions (not breaks), optionally of one room, track or speaker."""
        return [s for s in self.sessions if not s.is_break and (kind is None or _belongs(s.entry, kind, key))]

    def dropped_marker(self, now: dt.datetime) -> tuple[int, dt.datetime | None]:
        """How many cancelled sessions are over (and so left out of feeds),
        and when the last of them ended: feed bodies change exactly then."""
        count = bisect.bisect_right(self._cancelled_ends, now)
        return count, (self._cancelled_ends[count - 1] if count else None)

    def next_drop(self, now: dt.datetime) -> dt.datetime:
        """When the next cancelled session ends (and the feeds change)."""
        count = bisect.bisect_right(self._cancelled_ends, now)
        return (
            self._cancelled_ends[count]
            if count < len(self._cancelled_ends)
            else dt.datetime.max.replace(tzinfo=dt.timezone.utc)
        )

    def last_modified(self, now: dt.datetime) -> dt.datetime:
        """Never moves backwards: release, event edit, or the moment the last
        dropped cancelled session ended (all in the past, all monotonic)."""
        _, dropped = self.dropped_marker(now)
        moments = [self.version.released_at, self.event.updated_at] + ([dropped] if dropped else [])
        return max(moments).replace(microsecond=0)


def visible_in_feed(session: ReleasedSession, now: dt.datetime) -> bool:
    """Cancelled sessions stay (STATUS:CANCELLED) until they are over."""
    return not session.cancelled or session.ends_at > now


def localized(text: dict, language: str) -> str:
    return (text.get(language) if language != "it" else None) or text.get("it") or ""


def _belongs(entry: dict, kind: str, key: str | None) -> bool:
    if kind == "speaker":
        return any(speaker["id"] == key for speaker in entry["speakers"])
    return (entry.get(kind) or {}).get("id") == key


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)
