"""Dates and labels for pages and e-mails, in the event's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

MONTHS = {
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
EVENT_TYPE_LABELS = {
    "it": {
        "congress": "Congresso",
        "conference": "Conferenza",
        "seminar": "Seminario",
        "course": "Corso",
        "summer_school": "Scuola estiva",
        "meeting": "Incontro",
        "workshop": "Workshop",
    },
    "en": {
        "congress": "Congress",
        "conference": "Conference",
        "seminar": "Seminar",
        "course": "Course",
        "summer_school": "Summer school",
        "meeting": "Meeting",
        "workshop": "Workshop",
    },
}


DEFAULT_TIMEZONE = "Europe/Rome"  # the product's home; events carry their own


def local(moment: dt.datetime, timezone: str) -> dt.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(timezone))


def format_when(starts_at: dt.datetime, ends_at: dt.datetime, timezone: str, lang: str = "it") -> str:
    """'3 dicembre 2026, 09:30-13:00' or a range over several days."""
    start, end = local(starts_at, timezone), local(ends_at, timezone)
    months = MONTHS.get(lang, MONTHS["it"])
    day = f"{start.day} {months[start.month - 1]} {start.year}"
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {end.day} {months[end.month - 1]} {end.year} {end:%H:%M}"


def type_label(event_type: str, lang: str = "it") -> str:
    return EVENT_TYPE_LABELS.get(lang, EVENT_TYPE_LABELS["it"]).get(event_type, event_type)


WEEKDAYS = {
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def format_date(moment: dt.datetime | dt.date, timezone: str | None = None, lang: str = "it") -> str:
    """'giovedì 3 dicembre 2026' / 'Thursday 3 December 2026' (a datetime in the zone)."""
    day = local(moment, timezone or DEFAULT_TIMEZONE).date() if isinstance(moment, dt.datetime) else moment
    months, weekdays = MONTHS.get(lang, MONTHS["it"]), WEEKDAYS.get(lang, WEEKDAYS["it"])
    return f"{weekdays[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"


def format_time(moment: dt.datetime, timezone: str) -> str:
    return f"{local(moment, timezone):%H:%M}"


def month_label(year: int, month: int, lang: str = "it") -> str:
    return f"{MONTHS.get(lang, MONTHS['it'])[month - 1]} {year}"
