"""Conflict rules of a schedule, as pure functions over plain values.

- room_double_booked: two items overlap in one room (breaks count);
- speaker_double_booked: a speaker is in two sessions at once;
- outside_event_days: a session starts or ends outside the event's days
  (local dates in the event's time zone);
- seats_above_room_capacity: a sign-up session promises more seats than
  its room holds.
Intervals are half-open: a session ending at 10:00 does not clash with one
starting at 10:00."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

KINDS = ("room_double_booked", "speaker_double_booked", "outside_event_days", "seats_above_room_capacity")


@dataclass(frozen=True)
class Placed:
    """What the rules need to know about one session or break."""

    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: str | None = None
    speaker_ids: tuple[str, ...] = ()
    seat_limit: int | None = None
    requires_signup: bool = False


@dataclass(frozen=True)
class EventDays:
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str


@dataclass(frozen=True)
class ScheduleConflict:
    kind: str
    message: str
    session_ids: tuple[int, ...]
    room_id: str | None = None
    speaker_id: str | None = None
    details: dict = field(default_factory=dict, compare=False)


def find_conflicts(
    items: Iterable[Placed], days: EventDays, room_capacity: dict[str, int | None], names: dict[str, str] | None = None
) -> list[ScheduleConflict]:
    """Every conflict in a schedule, in a stable order. `names` maps room and
    speaker ids to names for the messages."""
    items = sorted(items, key=lambda item: (item.starts_at, item.id))
    names = names or {}
    return (
        room_double_bookings(items, names)
        + speaker_double_bookings(items, names)
        + outside_event_days(items, days)
        + seats_above_capacity(items, room_capacity, names)
    )


def room_double_bookings(items: list[Placed], names: dict[str, str]) -> list[ScheduleConflict]:
    by_room = _group(items, lambda item: [item.room_id] if item.room_id else [])
    return [
        ScheduleConflict(
            "room_double_booked",
            f"{a.title!r} and {b.title!r} overlap in room {names.get(room, room)!r}",
            (a.id, b.id),
            room_id=room,
        )
        for room, group in by_room.items()
        for a, b in overlapping_pairs(group)
    ]


def speaker_double_bookings(items: list[Placed], names: dict[str, str]) -> list[ScheduleConflict]:
    by_speaker = _group(items, lambda item: item.speaker_ids)
    return [
        ScheduleConflict(
            "speaker_double_booked",
            f"{names.get(speaker, speaker)!r} speaks in {a.title!r} and {b.title!r} at once",
            (a.id, b.id),
            speaker_id=speaker,
        )
        for speaker, group in by_speaker.items()
        for a, b in overlapping_pairs(group)
    ]


def outside_event_days(items: list[Placed], days: EventDays) -> list[ScheduleConflict]:
    zone = zoneinfo.ZoneInfo(days.timezone)
    first, last = days.starts_at.astimezone(zone).date(), _last_day(days.ends_at, zone)
    conflicts = []
    for item in items:
        if item.starts_at.astimezone(zone).date() < first or _last_day(item.ends_at, zone) > last:
            conflicts.append(
                ScheduleConflict(
                    "outside_event_days",
                    f"{item.title!r} is not within the event's days ({first} to {last})",
                    (item.id,),
                    room_id=item.room_id,
                )
            )
    return conflicts


def seats_above_capacity(
    items: list[Placed], room_capacity: dict[str, int | None], names: dict[str, str]
) -> list[ScheduleConflict]:
    conflicts = []
    for item in items:
        room_id = item.room_id
        if not room_id or not item.requires_signup or item.seat_limit is None:
            continue
        capacity = room_capacity.get(room_id)
        if capacity is not None and item.seat_limit > capacity:
            room = names.get(room_id, room_id)
            conflicts.append(
                ScheduleConflict(
                    "seats_above_room_capacity",
                    f"{item.title!r} offers {item.seat_limit} seats but room {room!r} holds {capacity}",
                    (item.id,),
                    room_id=item.room_id,
                    details={"seat_limit": item.seat_limit, "capacity": capacity},
                )
            )
    return conflicts


def overlapping_pairs(items: list[Placed]) -> list[tuple[Placed, Placed]]:
    """Pairs that overlap, for items sorted by start: each item is compared
    only with those starting before it ends."""
    pairs = []
    for index, first in enumerate(items):
        for second in items[index + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            pairs.append((first, second))
    return pairs


def _group(items: list[Placed], keys) -> dict[str, list[Placed]]:
    groups: dict[str, list[Placed]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            groups[key].append(item)
    return dict(sorted(groups.items()))


def _last_day(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    """The local date an interval ending at `moment` last touches (an end at
    midnight belongs to the day before)."""
    return (moment.astimezone(zone) - dt.timedelta(microseconds=1)).date()
