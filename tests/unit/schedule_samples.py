"""Plain-data builders for the schedule's pure functions (no I/O)."""

from __future__ import annotations

import datetime as dt
import json

from services.scheduling.programme.released import EventFacts, ReleasedSchedule, VersionFacts

UTC = dt.timezone.utc
ROOM_A = {"id": "aaaaaaaa-0000-4000-8000-000000000001", "name": "Sala A"}
ROOM_B = {"id": "bbbbbbbb-0000-4000-8000-000000000002", "name": "Aula Magna"}
TRACK = {
    "id": "cccccccc-0000-4000-8000-000000000003",
    "name": {"it": "Finanza locale", "en": None},
    "colour": "#aa3366",
}
SPEAKER = {"id": "dddddddd-0000-4000-8000-000000000004", "name": "Anna Bianchi", "affiliation": "Comune di Prova"}


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def entry(n: int, start: dt.datetime, minutes: int = 60, **overrides) -> dict:
    """A confirmed session entry as versions.py and the snapshot hold it."""
    data = {
        "id": n,
        "guid": f"00000000-0000-4000-8000-{n:012d}",
        "kind": "session",
        "status": "confirmed",
        "title": {"it": f"Sessione {n}", "en": None},
        "abstract": {"it": "Una sessione.", "en": None},
        "language": "it",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(minutes=minutes)).isoformat(),
        "room": ROOM_A,
        "track": None,
        "type": None,
        "speakers": [],
        "requires_signup": False,
        "seat_limit": None,
        "sequence": 0,
        "updated_at": utc(2027, 1, 10, 9).isoformat(),
    }
    data.update(overrides)
    return data


def event_facts(**overrides) -> EventFacts:
    data = {
        "id": "eeeeeeee-0000-4000-8000-000000000005",
        "slug": "congresso-comuni-2027",
        "title_it": "Congresso dei Comuni",
        "title_en": "Municipalities congress",
        "timezone": "Europe/Rome",
        "starts_at": utc(2027, 3, 26, 8),
        "ends_at": utc(2027, 3, 28, 17),
        "venue": "Palazzo comunale",
        "revision": 2,
        "updated_at": utc(2027, 1, 5, 9),
    }
    data.update(overrides)
    return EventFacts(**data)


def released(
    entries: list[dict],
    *,
    released_at: dt.datetime = utc(2027, 1, 10, 9),
    event=None,
    speakers: list[dict] | None = None,
) -> ReleasedSchedule:
    if speakers is None:
        speakers = [SPEAKER | {"bio": {"it": "Funzionaria.", "en": None}}]
    snapshot = {
        "rooms": [ROOM_A | {"capacity": 40, "position": 0}, ROOM_B | {"capacity": 200, "position": 1}],
        "tracks": [TRACK],
        "session_types": [],
        "speakers": speakers,
        "sessions": entries,
    }
    version = VersionFacts("ffffffff-0000-4000-8000-000000000006", 1, "1.0", released_at)
    return ReleasedSchedule.parse(event or event_facts(), version, json.dumps(snapshot))
