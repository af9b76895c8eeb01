"""The plain layout, for any other platform: a CSV whose header is `email`,
`join`, `leave` and optionally `name`, nothing else; one row per
connection; times in ISO 8601 with an offset, or local times in the
event's time zone ("2026-03-12 09:58")."""

from __future__ import annotations

from .model import Clock, Person, ReportUnreadable
from .people import grouped, span
from .table import find_table, header_key
from .text import Record

COLUMNS = ("email", "join", "leave", "name")
ALIASES = {name: (name,) for name in COLUMNS}


def _header(records: list[Record]) -> list[str]:
    for _, cells in records:
        if any(cells):
            return [header_key(cell) for cell in cells]
    return []


def recognises(records: list[Record]) -> bool:
    return {"email", "join", "leave"} <= set(_header(records))


def parse(records: list[Record], clock: Clock) -> list[Person]:
    unknown = [key for key in _header(records) if key not in COLUMNS]
    if unknown:
        raise ReportUnreadable(f"unknown columns {', '.join(repr(u) for u in unknown)}: expected {', '.join(COLUMNS)}")
    table = find_table(records, ALIASES, ("email", "join", "leave"))
    assert table is not None
    rows = []
    for record in table:
        email = table.cell(record, "email")
        if "@" not in email:
            raise ReportUnreadable(f"row {record[0]}, column '{table.headers['email']}': not an e-mail address")
        rows.append((record[0], table.cell(record, "name"), email, span(table, record, clock)))
    return grouped(rows)
