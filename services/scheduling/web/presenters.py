"""Domain objects as the API's response dicts and the pages' template data:
sessions with their conflicts, released versions and schedules (with their
feed links), login tokens, the programme by day, and the choices of the
pages' filters and forms."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from shared.auth import TOKEN_LIFETIME
from shared.events.fields import EVENT_TYPES
from shared.formatting import month_label, type_label

from ..credit_grants import credit_amounts
from ..delivery import ONLINE_MODES, delivery_label, public_delivery
from ..links import event_links, filtered_feed_links
from ..programme.conflicts import ScheduleConflict
from ..programme.released import ReleasedSchedule
from ..programme.sessions import conflicts_of

ROME = zoneinfo.ZoneInfo("Europe/Rome")
MONTHS_AHEAD = 12


def token_view(token: str) -> dict:
    return {"access_token": token, "token_type": "Bearer", "expires_in": int(TOKEN_LIFETIME.total_seconds())}


def session_view(row, event_conflicts: list[ScheduleConflict]) -> dict:
    """A work-in-progress session with the conflicts (of all the event's) it is part of."""
    return {
        "id": row.id,
        "guid": row.guid,
        "kind": row.kind,
        "status": row.status,
        "title": {"it": row.title_it, "en": row.title_en},
        "abstract": {"it": row.abstract_it, "en": row.abstract_en},
        "language": row.language,
        "room_id": row.room_id,
        "track_id": row.track_id,
        "type_id": row.type_id,
        "speaker_ids": row.speaker_ids,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "requires_signup": row.requires_signup,
        "seat_limit": row.seat_limit,
        "sequence": row.sequence,
        "updated_at": row.updated_at,
        "conflicts": conflicts_of(event_conflicts, row.id),
        "delivery_mode": row.delivery_mode,
        "online": row.online,
        "hours": row.hours,
        "credits": credit_amounts(row.credits),
    }


def version_view(version, changelog: dict | None = None) -> dict:
    """A released version; its changelog as stored unless the release just made it."""
    return {
        "number": version.number,
        "name": version.name,
        "released_at": version.released_at,
        "forced": version.forced,
        "comment": version.comment,
        "changelog": changelog if changelog is not None else json.loads(version.changelog),
    }


def released_view(schedule: ReleasedSchedule, public_base_url: str) -> dict:
    """The released schedule for the public JSON API, with feed links."""
    slug = schedule.event.slug

    def linked(kind: str, items: list[dict]) -> list[dict]:
        return [item | {"links": filtered_feed_links(public_base_url, slug, kind, item["id"])} for item in items]

    snapshot = schedule.snapshot
    return {
        "event": {
            "slug": slug,
            "title": {"it": schedule.event.title_it, "en": schedule.event.title_en},
            "timezone": schedule.event.timezone,
        },
        "version": {
            "number": schedule.version.number,
            "name": schedule.version.name,
            "released_at": schedule.version.released_at.isoformat(),
        },
        "rooms": linked("room", snapshot["rooms"]),
        "tracks": linked("track", snapshot["tracks"]),
        "session_types": snapshot["session_types"],
        "speakers": linked("speaker", snapshot["speakers"]),
        "sessions": snapshot["sessions"],
        "links": event_links(public_base_url, slug),
    }


def programme_days(schedule: ReleasedSchedule) -> list[tuple[dt.date, list]]:
    """The released sessions and breaks by local day, each with its local times."""
    zone = zoneinfo.ZoneInfo(schedule.event.timezone)
    days: dict[dt.date, list] = {}
    for item in schedule.sessions:
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        days.setdefault(start.date(), []).append((start, end, item))
    return sorted(days.items())


def event_types(lang: str) -> list[tuple[str, str]]:
    """Every event type with its label in the page's language."""
    return [(kind, type_label(kind, lang)) for kind in EVENT_TYPES]


def month_options(now: dt.datetime, lang: str) -> list[tuple[str, str]]:
    """The next MONTHS_AHEAD months (in Rome) as (YYYY-MM, label)."""
    local = now.astimezone(ROME)
    months = [((local.month - 1 + n) // 12 + local.year, (local.month - 1 + n) % 12 + 1) for n in range(MONTHS_AHEAD)]
    return [(f"{year}-{month:02d}", month_label(year, month, lang)) for year, month in months]


ATTENDANCE_MODES = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def event_delivery(event, lang: str) -> str:
    """ "In presenza", "Online (Microsoft Teams)", "Ibrido: <venue> e online (Zoom)"."""
    return delivery_label(
        event.delivery_mode, public_delivery(event.delivery_mode, event.online)["platform"], event.venue, lang
    )


def session_deliveries(schedule: ReleasedSchedule, lang: str) -> dict[int, str]:
    """The released sessions delivered otherwise than their event, each with
    how (the others say nothing: the event's page says it once)."""
    event = schedule.event
    labels = {}
    for item in schedule.sessions:
        mode, platform = schedule.delivery_of(item)
        if (mode, platform) != (event.delivery_mode, event.platform if event.delivery_mode != "in_person" else None):
            place = (item.entry.get("room") or {}).get("name") or event.venue
            labels[item.id] = delivery_label(mode, platform, place, lang)
    return labels


def event_json_ld(event, page_url: str, lang: str) -> dict:
    """schema.org Event for search engines: the attendance mode, the venue as
    a Place and, online, a VirtualLocation whose url is the public page (the
    join link is for confirmed participants only)."""
    places: list[dict] = []
    if event.delivery_mode != "online" and event.venue:
        places.append({"@type": "Place", "name": event.venue, "address": event.venue})
    if event.delivery_mode in ONLINE_MODES:
        places.append({"@type": "VirtualLocation", "url": page_url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": (event.title_en if lang == "en" else None) or event.title_it,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventAttendanceMode": ATTENDANCE_MODES[event.delivery_mode],
        "eventStatus": "https://schema.org/EventCancelled"
        if event.status == "cancelled"
        else "https://schema.org/EventScheduled",
        "url": page_url,
        "inLanguage": lang,
    }
    description = (event.description_en if lang == "en" else None) or event.description_it
    if description:
        data["description"] = description
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    return data


def changed_delivery(event, lang: str, side: dict) -> str:
    """One side of an `online` changelog line in words: the session's own
    mode and platform, or the event's when it has none of its own."""
    mode = side.get("delivery_mode") or event.delivery_mode
    platform = side.get("platform") or public_delivery(event.delivery_mode, event.online)["platform"]
    return delivery_label(mode, platform, event.venue, lang)


def decimal_text(value: float, lang: str) -> str:
    """1.5 -> "1,5" in Italian, "1.5" in English; 3.0 -> "3"."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "it" else text


def credit_labels(amounts: list[dict], lang: str) -> list[str]:
    """ "3 CFP (Crediti formativi revisori)"; without a unit "3 Crediti formativi revisori"."""
    labels = []
    for item in amounts:
        name = (item["name"].get("en") if lang == "en" else None) or item["name"]["it"]
        amount = decimal_text(item["amount"], lang)
        labels.append(f"{amount} {item['unit']} ({name})" if item.get("unit") else f"{amount} {name}")
    return labels


def course_hours(schedule: ReleasedSchedule | None) -> float | None:
    """The hours of training of the released programme: each session's own
    hours, else its duration; breaks and cancelled sessions count for nothing."""
    if schedule is None:
        return None
    total = 0.0
    for item in schedule.talks():
        if not item.cancelled:
            hours = item.entry.get("hours")
            total += hours if hours is not None else (item.ends_at - item.starts_at).total_seconds() / 3600
    return round(total, 2) if total else None


def session_training(schedule: ReleasedSchedule, lang: str) -> dict[int, dict]:
    """The released sessions with hours set or credits granted: their hours
    (as set, None when their duration) and credits in words."""
    facts = {}
    for item in schedule.talks():
        hours, amounts = item.entry.get("hours"), item.entry.get("credits") or []
        if hours is not None or amounts:
            facts[item.id] = {
                "hours": None if hours is None else decimal_text(hours, lang),
                "credits": credit_labels(amounts, lang),
            }
    return facts
