"""iTIP invitations (RFC 5546) as pure functions: REQUEST and CANCEL for one
attendee, times in UTC, a UID that never changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event, vCalAddress, vText

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


def build_invitation(data: InviteData, method: str) -> bytes:
    """METHOD:REQUEST or METHOD:CANCEL with ORGANIZER and the one ATTENDEE."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
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
    event.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{data.organizer_email}")
    organizer.params["CN"] = vText(data.organizer_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{data.attendee_email}")
    attendee.params.update({"CN": vText(data.attendee_name), "ROLE": "REQ-PARTICIPANT",
                            "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE", "CUTYPE": "INDIVIDUAL"})
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
