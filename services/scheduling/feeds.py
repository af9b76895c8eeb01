"""iCalendar subscription feeds of a released schedule, as pure functions.

Rules, chosen so that calendar clients update rather than duplicate:
UTC times; UID `session-<guid>@<host>` (invitations use `registration-…`);
SEQUENCE, DTSTAMP and LAST-MODIFIED from the release data, never "now"; a
fixed VCALENDAR UID (icalendar's Calendar.new() would invent one per call);
NAME + X-WR-CALNAME; REFRESH-INTERVAL with VALUE=DURATION and
X-PUBLISHED-TTL as PT1H (icalendar's shortcuts get both wrong); no METHOD;
sessions in a stable order; an empty feed carries the event's VTIMEZONE, as
a VCALENDAR needs one component. Same data in, same bytes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone, vDuration

from .delivery import delivery_label
from .programme.released import ReleasedSchedule, ReleasedSession, localized, visible_in_feed

PRODID = "-//Eventi//Scheduling 1.0//IT"
REFRESH = dt.timedelta(hours=1)
SPEAKERS_LABEL = {"it": "Relatori", "en": "Speakers"}


class UnknownFeed(LookupError):
    """A room, track or speaker that is not in the released schedule."""


@dataclass(frozen=True)
class FeedTarget:
    """Which feed: the whole event (kind None) or one room, track or speaker."""

    kind: str | None = None
    key: str | None = None

    @property
    def path(self) -> str:
        return "schedule.ics" if self.kind is None else f"{self.kind}s/{self.key}/schedule.ics"


def build_feed(schedule: ReleasedSchedule, target: FeedTarget, *, host: str, event_url: str, now: dt.datetime) -> bytes:
    """The feed's bytes. Raises UnknownFeed for a room/track/speaker not in the release."""
    label = _target_label(schedule, target)
    sessions = [s for s in schedule.talks(target.kind, target.key) if visible_in_feed(s, now)]
    calendar = _calendar(schedule, target, label, host)
    for session in sessions:
        calendar.add_component(session_event(session, schedule, host=host, event_url=event_url))
    if not sessions:  # RFC 5545 wants a component: an empty feed (a room with nothing yet) holds the zone
        calendar.add_component(_event_zone(schedule))
    return calendar.to_ical()


def _event_zone(schedule: ReleasedSchedule) -> Timezone:
    """The event's VTIMEZONE for the years it spans (from the tz database: same bytes every time)."""
    event = schedule.event
    zone = Timezone.from_tzid(
        event.timezone, first_date=dt.date(event.starts_at.year, 1, 1), last_date=dt.date(event.ends_at.year + 1, 1, 1)
    )
    zone.pop("COMMENT", None)  # icalendar's note on the years covered: libical's checks refuse a COMMENT here
    return zone


def session_uid(guid: str, host: str) -> str:
    return f"session-{guid}@{host}"


def session_event(session: ReleasedSession, schedule: ReleasedSchedule, *, host: str, event_url: str) -> Event:
    entry = session.entry
    event = Event()
    event.add("uid", session_uid(entry["guid"], host))
    event.add("sequence", entry["sequence"])
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title())
    description = description_of(session)
    if description:  # an empty DESCRIPTION is a value error for libical
        event.add("description", description)
    event.add("location", location_of(session, schedule))
    if entry.get("track"):
        event.add("categories", [localized(entry["track"]["name"], "it")])
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    event.add("url", f"{event_url}#session-{entry['id']}")
    return event


def _calendar(schedule: ReleasedSchedule, target: FeedTarget, label: str | None, host: str) -> Calendar:
    name = schedule.event.title_it + (f" – {label}" if label else "")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    suffix = "" if target.kind is None else f"-{target.kind}-{target.key}"
    calendar.add("uid", f"feed-{schedule.event.id}{suffix}@{host}")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", schedule.event.timezone)  # a display hint only: times are UTC
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def _target_label(schedule: ReleasedSchedule, target: FeedTarget) -> str | None:
    if target.kind is None:
        return None
    item = schedule.find(target.kind, target.key) if target.key is not None else None
    if item is None:
        raise UnknownFeed(f"no {target.kind} {target.key!r} in the released schedule")
    name = item["name"]
    return localized(name, "it") if isinstance(name, dict) else name


def location_of(session: ReleasedSession, schedule: ReleasedSchedule) -> str:
    """The room or venue; online and hybrid sessions say so with their
    platform ("Online (Zoom)"), never with the join link."""
    place = (session.entry.get("room") or {}).get("name") or schedule.event.venue
    mode, platform = schedule.delivery_of(session)
    if mode == "in_person":
        return place or schedule.event.title_it
    return delivery_label(mode, platform, place, session.entry["language"])


def description_of(session: ReleasedSession) -> str:
    entry = session.entry
    parts = []
    if entry["speakers"]:
        label = SPEAKERS_LABEL.get(entry["language"], SPEAKERS_LABEL["it"])
        parts.append(f"{label}: " + ", ".join(_speaker(s) for s in entry["speakers"]))
    if session.abstract():
        parts.append(session.abstract())
    return "\n\n".join(parts)


def _speaker(speaker: dict) -> str:
    return f"{speaker['name']} ({speaker['affiliation']})" if speaker.get("affiliation") else speaker["name"]


def host_of(public_base_url: str) -> str:
    """The UID domain: the host of PUBLIC_BASE_URL (as invitations do)."""
    return public_base_url.split("://", 1)[-1].split("/")[0].split(":")[0] or "eventi.localhost"
