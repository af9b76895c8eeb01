"""Releasing the work-in-progress schedule as a named version, and the public
reads of the last released one. Use cases take a session, never commit; a
release has the schedule cache forget the event once it commits."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.db import utcnow
from shared.errors import Conflict, NotFound
from shared.messaging import add_event

from ..credit_grants import credit_amounts
from ..delivery import public_delivery
from ..events import get_event
from ..links import event_url
from ..models import Event, ProgrammeSession, Room, ScheduleVersion, SessionType, Speaker, Track
from ..schedule_cache import forget_on_commit
from . import versions
from .conflicts import ScheduleConflict
from .items import organised_event
from .released import EventFacts, ReleasedSchedule, VersionFacts
from .sessions import active_sessions, event_conflicts


class ScheduleHasConflicts(Conflict):
    """Releasing would publish conflicts; `force` overrides."""

    field = "force"

    def __init__(self, conflicts: list[ScheduleConflict]):
        super().__init__(f"the schedule has {len(conflicts)} conflict(s); fix them or release with force=true")
        self.conflicts = conflicts


class ScheduleUnchanged(Conflict):
    field = "name"


def release_schedule(
    session: Session,
    organiser: Organiser,
    slug: str,
    *,
    name: str | None = None,
    comment: str = "",
    force: bool = False,
    public_base_url: str,
    now: dt.datetime | None = None,
) -> tuple[ScheduleVersion, versions.Release, list]:
    event = organised_event(session, organiser, slug)
    conflicts = event_conflicts(session, event)
    if conflicts and not force:
        raise ScheduleHasConflicts(conflicts)
    previous = latest_version(session, event.id)
    released_at = _release_time(now or utcnow(), previous)
    lists = programme_lists(session, event.id)
    current = [session_entry(row, lists) for row in active_sessions(session, event.id)]
    release = versions.release(_entries(previous), current, released_at.isoformat())
    if previous is not None and release.is_empty:
        raise ScheduleUnchanged(f"nothing changed since version {previous.name!r}")
    version = _new_version(session, event, previous, name, released_at)
    version.comment, version.released_by, version.forced = comment, organiser.account_id, bool(conflicts)
    version.changelog = json.dumps(release.changelog, ensure_ascii=False, sort_keys=True)
    version.snapshot = json.dumps(
        _public_lists(lists) | {"sessions": [public_entry(entry) for entry in release.entries]},
        ensure_ascii=False,
        sort_keys=True,
    )
    version.online_rooms = json.dumps(_online_rooms(release.entries), ensure_ascii=False, sort_keys=True)
    session.add(version)
    _store_sequences(session, event.id, release.entries)
    session.flush()
    add_event(session, "schedule.released", released_data(event, version, previous, release, public_base_url))
    forget_on_commit(session, event.slug)
    return version, release, conflicts


def preview_release(
    session: Session, organiser: Organiser, slug: str, *, now: dt.datetime | None = None
) -> tuple[versions.Release, list, ScheduleVersion | None]:
    """What releasing now would change (the changelog), the conflicts it
    would publish and the version it follows; nothing is written."""
    event = organised_event(session, organiser, slug, lock=False)
    previous = latest_version(session, event.id)
    lists = programme_lists(session, event.id)
    current = [session_entry(row, lists) for row in active_sessions(session, event.id)]
    released_at = _release_time(now or utcnow(), previous)
    return (
        versions.release(_entries(previous), current, released_at.isoformat()),
        event_conflicts(session, event),
        previous,
    )


def latest_version(session: Session, event_id: str) -> ScheduleVersion | None:
    return session.scalar(
        select(ScheduleVersion)
        .where(ScheduleVersion.event_id == event_id)
        .order_by(ScheduleVersion.number.desc())
        .limit(1)
    )


def released_schedule(session: Session, slug: str) -> ReleasedSchedule:
    """The last released schedule of a public event (404 before the first release)."""
    event = get_event(session, slug)
    version = latest_version(session, event.id)
    if version is None:
        raise NotFound("the schedule of this event has not been released yet", field="slug")
    return ReleasedSchedule.parse(event_facts(event), version_facts(version), version.snapshot)


def list_versions(session: Session, slug: str) -> list[ScheduleVersion]:
    event = get_event(session, slug)
    return list(
        session.scalars(
            select(ScheduleVersion).where(ScheduleVersion.event_id == event.id).order_by(ScheduleVersion.number.desc())
        )
    )


def event_facts(event: Event) -> EventFacts:
    return EventFacts(
        event.id,
        event.slug,
        event.title_it,
        event.title_en,
        event.timezone,
        event.starts_at,
        event.ends_at,
        event.venue,
        event.revision,
        event.updated_at,
        event.delivery_mode,
        public_delivery(event.delivery_mode, event.online)["platform"],
    )


def version_facts(version: ScheduleVersion) -> VersionFacts:
    return VersionFacts(version.id, version.number, version.name, version.released_at)


def programme_lists(session: Session, event_id: str) -> dict[str, dict]:
    """Rooms, tracks, session types and speakers of the event, by id."""

    def by_id(model, *order):
        return {
            item.id: item for item in session.scalars(select(model).where(model.event_id == event_id).order_by(*order))
        }

    return {
        "rooms": by_id(Room, Room.position, Room.name),
        "tracks": by_id(Track, Track.name_it),
        "session_types": by_id(SessionType, SessionType.name_it),
        "speakers": by_id(Speaker, Speaker.name),
    }


def session_entry(row: ProgrammeSession, lists: dict[str, dict]) -> dict:
    """A work-in-progress session as a version entry (see versions.py)."""
    room, track = lists["rooms"].get(row.room_id), lists["tracks"].get(row.track_id)
    kind = lists["session_types"].get(row.type_id)
    return {
        "id": row.id,
        "guid": row.guid,
        "kind": row.kind,
        "status": "confirmed",
        "title": {"it": row.title_it, "en": row.title_en},
        "abstract": {"it": row.abstract_it, "en": row.abstract_en},
        "language": row.language,
        "starts_at": row.starts_at.isoformat(),
        "ends_at": row.ends_at.isoformat(),
        "room": {"id": room.id, "name": room.name} if room else None,
        "track": {"id": track.id, "name": {"it": track.name_it, "en": track.name_en}, "colour": track.colour}
        if track
        else None,
        "type": {"id": kind.id, "name": {"it": kind.name_it, "en": kind.name_en}} if kind else None,
        "speakers": [_speaker_ref(lists["speakers"][sid]) for sid in row.speaker_ids],
        "requires_signup": row.requires_signup,
        "seat_limit": row.seat_limit,
        "delivery_mode": row.delivery_mode,
        "online": row.online,
        "hours": row.hours,
        "credits": credit_amounts(row.credits),
    }


def public_entry(entry: dict) -> dict:
    """A version entry as the snapshot keeps it, which is all the public
    reads: the session's own online room (confidential) becomes its platform."""
    public = {key: value for key, value in entry.items() if key != "online"}
    return public | {"platform": (entry.get("online") or {}).get("platform")}


def _online_rooms(entries: list[dict]) -> dict[str, dict]:
    return {entry["guid"]: entry["online"] for entry in entries if entry.get("online")}


def released_data(
    event: Event,
    version: ScheduleVersion,
    previous: ScheduleVersion | None,
    release: versions.Release,
    public_base_url: str,
) -> dict:
    """The `schedule.released` payload (shared/events/scheduling.py)."""
    page = event_url(public_base_url, event.slug)
    return {
        "event_id": event.id,
        "slug": event.slug,
        "timezone": event.timezone,
        "version": {
            "number": version.number,
            "name": version.name,
            "released_at": version.released_at,
            "forced": version.forced,
            "comment": version.comment,
        },
        "previous_version": previous.number if previous else None,
        "changelog": {kind: [line["guid"] for line in lines] for kind, lines in release.changelog.items()},
        "sessions": [_session_data(entry, f"{page}#session-{entry['id']}") for entry in release.changed],
        "schedule_url": f"{public_base_url}/scheduling/api/v1/events/{event.slug}/schedule",
        "feed_url": f"{page}/schedule.ics",
    }


def _new_version(
    session: Session, event: Event, previous: ScheduleVersion | None, name: str | None, released_at: dt.datetime
) -> ScheduleVersion:
    number = previous.number + 1 if previous else 1
    name = (name or "").strip() or f"{number}.0"
    if session.scalar(
        select(ScheduleVersion.id).where(ScheduleVersion.event_id == event.id, ScheduleVersion.name == name)
    ):
        raise Conflict(f"a version called {name!r} was already released", field="name")
    return ScheduleVersion(event_id=event.id, number=number, name=name, released_at=released_at)


def _release_time(now: dt.datetime, previous: ScheduleVersion | None) -> dt.datetime:
    """Whole seconds (HTTP dates have no more), always after the previous
    release so that Last-Modified and If-Modified-Since can tell them apart."""
    moment = now.astimezone(dt.timezone.utc).replace(microsecond=0)
    if previous is not None and moment <= previous.released_at:
        moment = previous.released_at.replace(microsecond=0) + dt.timedelta(seconds=1)
    return moment


def _entries(version: ScheduleVersion | None) -> list[dict]:
    """The version's entries with their online rooms back (as versions.py compares them)."""
    if version is None:
        return []
    rooms = json.loads(version.online_rooms or "{}")
    return [
        {key: value for key, value in entry.items() if key != "platform"} | {"online": rooms.get(entry["guid"])}
        for entry in json.loads(version.snapshot)["sessions"]
    ]


def _session_data(entry: dict, url: str) -> dict:
    """A changed entry as `schedule.released` carries it (with its online room)."""
    data = {key: value for key, value in entry.items() if key != "previous_delivery"}
    return _with_datetimes(data) | {"url": url}


def _public_lists(lists: dict[str, dict]) -> dict[str, list]:
    return {
        "rooms": [
            {"id": r.id, "name": r.name, "capacity": r.capacity, "position": r.position}
            for r in lists["rooms"].values()
        ],
        "tracks": [
            {"id": t.id, "name": {"it": t.name_it, "en": t.name_en}, "colour": t.colour}
            for t in lists["tracks"].values()
        ],
        "session_types": [
            {"id": k.id, "name": {"it": k.name_it, "en": k.name_en}} for k in lists["session_types"].values()
        ],
        "speakers": [_speaker_ref(s) | {"bio": {"it": s.bio_it, "en": s.bio_en}} for s in lists["speakers"].values()],
    }


def _speaker_ref(speaker: Speaker) -> dict:
    return {"id": speaker.id, "name": speaker.name, "affiliation": speaker.affiliation or ""}


def _store_sequences(session: Session, event_id: str, entries: list[dict]) -> None:
    rows = {row.guid: row for row in active_sessions(session, event_id, include_cancelled=True)}
    for entry in entries:
        row = rows.get(entry["guid"])
        if row is not None and row.sequence != entry["sequence"]:
            row.sequence = entry["sequence"]


def _with_datetimes(entry: dict) -> dict:
    def parse(value):
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else value

    result = {**entry, **{key: parse(entry[key]) for key in ("starts_at", "ends_at", "updated_at")}}
    if entry.get("previous"):
        result["previous"] = {
            **entry["previous"],
            "starts_at": parse(entry["previous"]["starts_at"]),
            "ends_at": parse(entry["previous"]["ends_at"]),
        }
    return result
