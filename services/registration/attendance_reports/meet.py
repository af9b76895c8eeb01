"""Google Meet's attendance report (the Sheet Meet sends the organiser
after the call, downloaded as CSV): one row per person, "Full name" or
"First name"/"Last name", "Email", "Duration", "Time joined" and "Time
exited" (or "First seen"/"Last seen" in the Workspace audit export). The
times may be a time of day alone ("10:02 AM"): the day is the session's.
One span per person: from the first join to the last exit, shortened to
the duration Meet measured when that is less (who left and came back is
not credited for the time away)."""

from __future__ import annotations

from .model import Clock, Person
from .people import address, grouped, parse_duration, span
from .table import find_table, header_rows
from .text import Record

ALIASES = {
    "name": ("full name", "name", "participant name", "participant"),
    "first_name": ("first name",),
    "last_name": ("last name",),
    "email": ("email", "participant email", "email address"),
    "duration": ("duration", "attendance duration"),
    "join": ("time joined", "first seen", "joined at", "joined"),
    "leave": ("time exited", "last seen", "exited at", "left at", "left"),
}
JOINS = {"time joined", "first seen", "joined at"}
LEAVES = {"time exited", "last seen", "exited at", "left at"}


def recognises(records: list[Record]) -> bool:
    return any(keys & JOINS and keys & LEAVES for keys in header_rows(records))


def parse(records: list[Record], clock: Clock) -> list[Person]:
    table = find_table(records, ALIASES, ("join", "leave"))
    assert table is not None
    rows = []
    for record in table:
        started, ended = span(table, record, clock)
        if table.has("duration") and table.cell(record, "duration"):
            measured = table.read(record, "duration", parse_duration, "a duration")
            ended = min(ended, started + measured)
        name = table.cell(record, "name") or " ".join(
            part for part in (table.cell(record, "first_name"), table.cell(record, "last_name")) if part
        )
        rows.append((record[0], name, address(table.cell(record, "email")), (started, ended)))
    return grouped(rows)
