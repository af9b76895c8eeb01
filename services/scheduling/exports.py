"""frab `schedule.xml` and c3voc `schedule.json` of a released schedule, as
pure functions (schemas: github.com/voc/schedule, validator/xsd/schedule.xml.xsd
and validator/json/schema.json).

Sessions appear on the local day they start, under their room; confirmed
sessions only (a conference app deletes what disappears, which is what a
cancellation means there); no breaks. `id` is the session's positive
integer id and `guid` its UUID, both stable forever."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET
import zoneinfo
from dataclasses import dataclass

from .links import slugify
from .programme.released import ReleasedSchedule, ReleasedSession, localized

GENERATOR = {"name": "eventi", "version": "1.0"}
TIMESLOT = "00:05"


@dataclass(frozen=True)
class Day:
    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    rooms: list[tuple[dict, list[ReleasedSession]]]


def schedule_days(schedule: ReleasedSchedule) -> list[Day]:
    """Every day of the event (plus any day a session falls on), each with
    every room in the release's order."""
    zone = zoneinfo.ZoneInfo(schedule.event.timezone)
    sessions = [s for s in schedule.talks() if not s.cancelled]
    rooms = list(schedule.snapshot["rooms"])
    if any(not s.entry.get("room") for s in sessions):
        rooms.append(_no_room(schedule))
    dates = set(_event_dates(schedule, zone)) | {s.starts_at.astimezone(zone).date() for s in sessions}
    days = []
    for index, date in enumerate(sorted(dates), start=1):
        todays = [s for s in sessions if s.starts_at.astimezone(zone).date() == date]
        by_room = [(room, [s for s in todays if _room_of(s, schedule)["id"] == room["id"]]) for room in rooms]
        start = dt.datetime.combine(date, dt.time(0, 0), zone)
        days.append(Day(index, date, start, dt.datetime.combine(date, dt.time(23, 59, 59), zone), by_room))
    return days


def frab_xml(schedule: ReleasedSchedule, *, event_url: str, xml_url: str) -> bytes:
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", GENERATOR)
    _text(root, "url", xml_url)
    _text(root, "version", schedule.version.name)
    conference = ET.SubElement(root, "conference")
    for name, value in _conference(schedule, event_url).items():
        _text(conference, name, value)
    for track in _tracks(schedule):
        ET.SubElement(conference, "track", track)
    for day in schedule_days(schedule):
        element = ET.SubElement(
            root,
            "day",
            {
                "index": str(day.index),
                "date": day.date.isoformat(),
                "start": day.start.isoformat(),
                "end": day.end.isoformat(),
            },
        )
        for room, sessions in day.rooms:
            room_element = ET.SubElement(element, "room", {"name": room["name"], "guid": room["id"]})
            for session in sessions:
                _frab_event(room_element, _event_fields(session, schedule, room, event_url))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def c3voc_json(schedule: ReleasedSchedule, *, event_url: str) -> bytes:
    conference = _conference(schedule, event_url)
    conference["daysCount"] = conference.pop("days")
    conference["tracks"] = _tracks(schedule)
    conference["rooms"] = [
        {"name": r["name"], "guid": r["id"], "capacity": r.get("capacity")} for r in schedule.snapshot["rooms"]
    ]
    conference["days"] = [
        {
            "index": day.index,
            "date": day.date.isoformat(),
            "day_start": day.start.isoformat(),
            "day_end": day.end.isoformat(),
            "rooms": {
                room["name"]: [_event_fields(s, schedule, room, event_url) for s in sessions]
                for room, sessions in day.rooms
            },
        }
        for day in schedule_days(schedule)
    ]
    document = {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": GENERATOR,
        "schedule": {"version": schedule.version.name, "base_url": event_url + "/", "conference": conference},
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def acronym(slug: str) -> str:
    """Both schemas' acronym pattern: lower-case letters, digits, `_`, 4+."""
    return slug.replace("-", "_").ljust(4, "_")


def _conference(schedule: ReleasedSchedule, event_url: str) -> dict:
    zone = zoneinfo.ZoneInfo(schedule.event.timezone)
    dates = _event_dates(schedule, zone)
    return {
        "acronym": acronym(schedule.event.slug),
        "title": schedule.event.title_it,
        "start": dates[0].isoformat(),
        "end": dates[-1].isoformat(),
        "days": len(dates),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": schedule.event.timezone,
        "url": event_url,
    }


def _event_fields(session: ReleasedSession, schedule: ReleasedSchedule, room: dict, event_url: str) -> dict:
    entry, zone = session.entry, zoneinfo.ZoneInfo(schedule.event.timezone)
    local = session.starts_at.astimezone(zone)
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    title_slug = slugify(session.title())[:50].strip("-") or "sessione"
    return {
        "id": entry["id"],
        "guid": entry["guid"],
        "date": local.isoformat(),
        "start": local.strftime("%H:%M"),
        "end": session.ends_at.astimezone(zone).isoformat(),
        "duration": f"{minutes // 60:02d}:{minutes % 60:02d}",
        "room": room["name"],
        "slug": f"{acronym(schedule.event.slug)}-{entry['id']}-{title_slug}",
        "url": f"{event_url}#session-{entry['id']}",
        "title": session.title(),
        "subtitle": "",
        "track": localized(entry["track"]["name"], "it") if entry.get("track") else None,
        "type": localized(entry["type"]["name"], "it") if entry.get("type") else "talk",
        "language": entry["language"],
        "abstract": session.abstract(),
        "description": "",
        "persons": [_person(schedule, speaker, entry["language"]) for speaker in entry["speakers"]],
        "links": [],
        "attachments": [],
    }


def _frab_event(parent: ET.Element, fields: dict) -> None:
    event = ET.SubElement(parent, "event", {"guid": fields["guid"], "id": str(fields["id"])})
    for name in (
        "date",
        "start",
        "duration",
        "room",
        "slug",
        "url",
        "title",
        "subtitle",
        "type",
        "language",
        "abstract",
        "description",
    ):
        _text(event, name, fields[name])
    _text(event, "track", fields["track"] or "")
    persons = ET.SubElement(event, "persons")
    for person in fields["persons"]:
        _text(persons, "person", person["name"]).set("guid", person["guid"])
    ET.SubElement(event, "links")
    ET.SubElement(event, "attachments")


def _person(schedule: ReleasedSchedule, speaker: dict, language: str) -> dict:
    """Pretalx-style (name, no integer id): schema.json wants exactly one of
    its two person shapes to match; `public_name` is kept for older apps."""
    full = schedule.find("speaker", speaker["id"]) or speaker
    return {
        "guid": speaker["id"],
        "name": speaker["name"],
        "public_name": speaker["name"],
        "biography": localized(full.get("bio") or {}, language) or None,
    }


def _tracks(schedule: ReleasedSchedule) -> list[dict]:
    tracks = []
    for track in schedule.snapshot["tracks"]:
        slug = slugify(track["name"]["it"])
        slug = slug if slug[0].isalpha() and len(slug) > 1 else f"t-{slug}"
        tracks.append({"name": localized(track["name"], "it"), "color": track["colour"], "slug": slug})
    return tracks


def _room_of(session: ReleasedSession, schedule: ReleasedSchedule) -> dict:
    return session.entry.get("room") or _no_room(schedule)


def _no_room(schedule: ReleasedSchedule) -> dict:
    """Sessions without a room are listed under the venue."""
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"eventi:{schedule.event.id}:no-room")),
        "name": schedule.event.venue or "—",
        "capacity": None,
    }


def _event_dates(schedule: ReleasedSchedule, zone: zoneinfo.ZoneInfo) -> list[dt.date]:
    first = schedule.event.starts_at.astimezone(zone).date()
    last = (schedule.event.ends_at.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _text(parent: ET.Element, name: str, value) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = "" if value is None else str(value)
    return element
