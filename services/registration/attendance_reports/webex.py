"""Webex's meeting attendee report (the meeting's attendee list exported
from the Webex site or Control Hub, CSV in UTF-8 or UTF-16): one row per
connection with the attendee's name and e-mail and "Join Time"/"Leave
Time" (Control Hub: "Attendee Name", "Attendee Email", "Join Time", "Leave
Time", "Duration (Mins)"; the site: "Name", "Email", "Join time", "Leave
time", "Duration"), times in the site's time zone as "03/12/2026 09:58 AM",
"Mar 12, 2026 9:58 AM" or ISO 8601."""

from __future__ import annotations

from .model import Clock, Person
from .people import address, grouped, span
from .table import find_table, header_rows
from .text import Record

ALIASES = {
    "name": ("attendee name", "participant name", "name", "display name"),
    "email": ("attendee email", "participant email", "email", "email address"),
    "join": ("join time", "joined time", "join date"),
    "leave": ("leave time", "left time", "leave date"),
}
MARKS = {"attendee name", "attendee email", "participant email", "connection type", "duration (mins)", "invited"}


def recognises(records: list[Record]) -> bool:
    return any(
        keys & {"join time", "joined time"} and keys & {"leave time", "left time"} and keys & MARKS
        for keys in header_rows(records)
    )


def parse(records: list[Record], clock: Clock) -> list[Person]:
    table = find_table(records, ALIASES, ("join", "leave"))
    assert table is not None
    return grouped(
        [(r[0], table.cell(r, "name"), address(table.cell(r, "email")), span(table, r, clock)) for r in table]
    )
