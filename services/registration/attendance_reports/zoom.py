"""Zoom's meeting participants report (Reports > Usage > Participants, or
the meeting's Participants export), CSV in UTF-8. With "Export with meeting
data" a block of meeting facts comes first (Meeting ID, Topic, Start Time,
...), then a blank row, then the participants' table: "Name (Original
Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)",
"Guest", and more. One row per connection: a rejoin is a new row. Times
are in the time zone of the account that exported it, as "03/12/2026
09:58:12 AM" (or ISO 8601 in the API's CSV)."""

from __future__ import annotations

import re

from .model import Clock, Person
from .people import address, grouped, span
from .table import find_table, header_rows
from .text import Record

ALIASES = {
    "name": ("name (original name)", "name", "participant", "participant name", "display name"),
    "email": ("user email", "email", "email address"),
    "join": ("join time",),
    "leave": ("leave time",),
}


def recognises(records: list[Record]) -> bool:
    return any(
        "join time" in keys and "leave time" in keys and ({"name (original name)", "user email"} & keys)
        for keys in header_rows(records)
    )


def parse(records: list[Record], clock: Clock) -> list[Person]:
    table = find_table(records, ALIASES, ("join", "leave"))
    assert table is not None  # recognises() saw it
    rows = [
        (r[0], shown_name(table.cell(r, "name")), address(table.cell(r, "email")), span(table, r, clock)) for r in table
    ]
    return grouped(rows)


def shown_name(cell: str) -> str:
    """ "Anna Bianchi (Anna B.)": the name shown in the meeting, before the original in brackets."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", cell).strip() or cell.strip()
