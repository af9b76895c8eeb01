"""The organiser's schedule grid as plain data: the event's days (rows) by
rooms (columns), each cell with its sessions in time order and every
session with its conflicts. Pure: no database, no Flask."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

NO_ROOM = ""
CONFLICT_LABELS = {
    "room_double_booked": "Sovrapposta a «%(other)s» nella stessa sala",
    "speaker_double_booked": "Un relatore è anche in «%(other)s» alla stessa ora",
    "outside_event_days": "Fuori dai giorni dell'evento",
    "seats_above_room_capacity": "Più posti di quanti la sala ne contenga",
}


@dataclass
class Card:
    row: object
    start: dt.datetime
    end: dt.datetime
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (label key, other title)


@dataclass
class Grid:
    days: list[dt.date]
    rooms: list  # Room rows, then None for "no room"
    cells: dict[tuple[dt.date, str], list[Card]]
    conflict_count: int

    def cell(self, day: dt.date, room) -> list[Card]:
        return self.cells.get((day, room.id if room is not None else NO_ROOM), [])


def build_grid(event, rows: list, rooms: list, conflicts: list) -> Grid:
    zone = zoneinfo.ZoneInfo(event.timezone)
    titles = {row.id: row.title_it for row in rows}
    cells: dict[tuple[dt.date, str], list[Card]] = {}
    for row in rows:
        card = Card(
            row, row.starts_at.astimezone(zone), row.ends_at.astimezone(zone), _conflicts_of(row.id, conflicts, titles)
        )
        cells.setdefault((card.start.date(), row.room_id or NO_ROOM), []).append(card)
    days = event_days(event, zone) | {day for day, _ in cells}
    return Grid(sorted(days), [*rooms, None], cells, len(conflicts))


def event_days(event, zone: zoneinfo.ZoneInfo) -> set[dt.date]:
    first = event.starts_at.astimezone(zone).date()
    last = (event.ends_at.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


def _conflicts_of(session_id: int, conflicts: list, titles: dict) -> list[tuple[str, str]]:
    found = []
    for conflict in conflicts:
        if session_id in conflict.session_ids:
            others = [titles.get(other, "") for other in conflict.session_ids if other != session_id]
            found.append((CONFLICT_LABELS.get(conflict.kind, conflict.message), others[0] if others else ""))
    return found
