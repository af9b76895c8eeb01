"""A participant's private agenda feed as a pure function, written so every
calendar client reads it the same way and never duplicates an item: UTC
times; a UID per item in the `agenda-…` namespace (invitations use
`registration-…` and `workshop-…`); the stored SEQUENCE; DTSTAMP and
LAST-MODIFIED from the copy's update time, never "now"; a fixed VCALENDAR
UID; NAME and X-WR-CALNAME; REFRESH-INTERVAL with VALUE=DURATION and
X-PUBLISHED-TTL; no METHOD; items in a stable order. Same data in, same
bytes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event, vDuration

from .conference import ConferenceLink

PRODID = "-//Eventi//Notifications agenda 1.0//IT"
NAMES = {"it": "La mia agenda – {title}", "en": "My agenda – {title}"}


@dataclass(frozen=True)
class AgendaItem:
    uid: str
    sequence: int
    updated_at: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str
    description: str
    url: str | None
    cancelled: bool
    conferences: tuple[ConferenceLink, ...] = ()  # a confirmed person's online or hybrid item


def agenda_uid(kind: str, key: str, host: str) -> str:
    return f"agenda-{kind}-{key}@{host}"


def build_agenda(
    items: list[AgendaItem], *, calendar_uid: str, title: str, language: str, timezone: str, refresh: dt.timedelta
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("uid", calendar_uid)
    name = NAMES.get(language, NAMES["it"]).format(title=title)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)  # a display hint: every time is UTC
    # icalendar's shortcuts drop VALUE=DURATION and write X-PUBLISHED-TTL as 1:00:00
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for item in sorted(items, key=lambda i: (i.starts_at, i.uid)):
        calendar.add_component(_event(item))
    return calendar.to_ical()


def _event(item: AgendaItem) -> Event:
    utc = dt.timezone.utc
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    stamp = item.updated_at.astimezone(utc).replace(microsecond=0)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", item.starts_at.astimezone(utc))
    event.add("dtend", item.ends_at.astimezone(utc))
    event.add("summary", item.summary)
    if item.location:
        event.add("location", item.location)
    if item.description:  # an empty DESCRIPTION is a value error for libical
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    for conference in item.conferences:
        event.add("conference", conference.as_property())
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event
