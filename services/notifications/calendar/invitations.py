"""iTIP invitations (RFC 5546) as pure functions: REQUEST and CANCEL for one
attendee, times in UTC, a UID that never changes.

A schedule change can mean thousands of invitations that differ only in
UID and ATTENDEE. icalendar builds the shared part once (cached by the
shared data); each person's two lines are serialised by icalendar too and
put in their places, so the bytes equal a full build (a unit test checks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

from icalendar import Calendar, Event, vCalAddress, vText
from icalendar.parser import Contentline

from .conference import ConferenceLink

PRODID = "-//Eventi//Notifications 1.0//IT"


@dataclass(frozen=True)
class InviteData:
    uid: str
    sequence: int
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    description: str
    url: str | None
    organizer_email: str
    organizer_name: str
    attendee_email: str
    attendee_name: str
    stamp: dt.datetime
    conferences: tuple[ConferenceLink, ...] = ()  # online and hybrid items, REQUEST only


def build_invitation(data: InviteData, method: str) -> bytes:
    """METHOD:REQUEST or METHOD:CANCEL with ORGANIZER and the one ATTENDEE."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    before, between, after = _template(replace(data, uid="", attendee_email="", attendee_name=""), method)
    return before + _uid_line(data.uid) + between + _attendee_line(data) + after


UID_MARK, ATTENDEE_MARK = "uid-placeholder@invalid", "attendee-placeholder@invalid"


@lru_cache(maxsize=64)
def _template(shared: InviteData, method: str) -> tuple[bytes, bytes, bytes]:
    """The full build with placeholder UID and ATTENDEE, cut around those two lines."""
    full = full_invitation(replace(shared, uid=UID_MARK, attendee_email=ATTENDEE_MARK, attendee_name="x"), method)
    lines = full.split(b"\r\n")
    logical = [i for i, line in enumerate(lines) if not line.startswith(b" ")]
    uid = next(i for i in logical if lines[i].startswith(b"UID:"))
    attendee = next(i for i in logical if lines[i].startswith(b"ATTENDEE"))
    after_uid = min(i for i in logical if i > uid)
    after_attendee = min(i for i in logical if i > attendee)
    crlf = b"\r\n"
    return (
        crlf.join(lines[:uid]) + crlf,
        crlf + crlf.join(lines[after_uid:attendee]) + crlf,
        crlf + crlf.join(lines[after_attendee:]),
    )


def _uid_line(uid: str) -> bytes:
    return _fold(Event().content_line("UID", vText(uid)))


def _attendee_line(data: InviteData) -> bytes:
    return _fold(Event().content_line("ATTENDEE", _attendee(data)))


def _fold(line: Contentline) -> bytes:
    """icalendar's folding (74 octets a line, an escape character never
    left at a line's end), done by slices for ASCII lines: its own
    character loop cost more than the rest of an invitation."""
    if not line.isascii():
        return line.to_ical()
    chunks, rest = [], str(line)
    while len(rest) > 74:
        cut = 73 if rest[73] in "\\^" else 74
        chunks.append(rest[:cut])
        rest = rest[cut:]
    chunks.append(rest)
    return "\r\n ".join(chunks).encode("ascii")


def _attendee(data: InviteData) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{data.attendee_email}")
    attendee.params.update(
        {
            "CN": vText(data.attendee_name),
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",
            "CUTYPE": "INDIVIDUAL",
        }
    )
    return attendee


def full_invitation(data: InviteData, method: str) -> bytes:
    """The invitation built by icalendar from scratch."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", data.uid)
    event.add("sequence", data.sequence)
    event.add("dtstamp", data.stamp.astimezone(dt.timezone.utc))
    event.add("dtstart", data.starts_at.astimezone(dt.timezone.utc))
    event.add("dtend", data.ends_at.astimezone(dt.timezone.utc))
    event.add("summary", data.summary)
    if data.location:
        event.add("location", data.location)
    if data.description:
        event.add("description", data.description)
    if data.url:
        event.add("url", data.url)
    for conference in data.conferences:
        event.add("conference", conference.as_property())
    event.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{data.organizer_email}")
    organizer.params["CN"] = vText(data.organizer_name)
    event.add("organizer", organizer)
    event.add("attendee", _attendee(data))
    calendar.add_component(event)
    return calendar.to_ical()
