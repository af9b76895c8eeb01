"""Reading the times platforms write: ISO 8601 (with or without an offset),
numeric dates in either day/month order with a 12- or 24-hour clock
("03/12/2026 09:58:12 AM", "12/3/26, 9:58:12", "2026-03-12 09:58"), English
month names ("Mar 12, 2026 9:58 AM"), and a time alone (Google Meet). A
naive time is in the event's time zone; when the day/month order is open
the reading closest to the session's start wins."""

from __future__ import annotations

import datetime as dt
import re

from .model import Clock

NUMERIC = re.compile(
    r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4}),?\s+(?:at\s+)?"
    r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?(?:[.,]\d+)?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"\s*(?P<zone>z|utc|gmt|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
NAMED = re.compile(
    r"^(?P<month>[a-z]{3})[a-z]*\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}),?\s+(?:at\s+)?"
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?$",
    re.IGNORECASE,
)
TIME_ONLY = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?$", re.IGNORECASE)
MONTHS = {name: n for n, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def parse_moment(text: str, clock: Clock) -> dt.datetime:
    """An aware datetime, or ValueError."""
    text = " ".join(text.replace("\u202f", " ").split())
    if not text:
        raise ValueError("empty")
    for reader in (_iso, _numeric, _named, _time_only):
        candidates = reader(text, clock)
        if candidates:
            return min(candidates, key=lambda moment: abs(moment - clock.near))
    raise ValueError(text)


def _aware(naive: dt.datetime, clock: Clock) -> dt.datetime:
    return naive.replace(tzinfo=clock.zone) if naive.tzinfo is None else naive


def _hour(hour: int, ampm: str | None) -> int:
    if not ampm:
        if hour > 23:
            raise ValueError(hour)
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(hour)
    return hour % 12 + (12 if ampm.lower().startswith("p") else 0)


def _iso(text: str, clock: Clock) -> list[dt.datetime]:
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", text):
        return []
    try:
        return [_aware(dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" UTC", "+00:00")), clock)]
    except ValueError:
        return []


def _numeric(text: str, clock: Clock) -> list[dt.datetime]:
    match = NUMERIC.match(text)
    if not match:
        return []
    a, b, c = (int(match[k]) for k in "abc")
    if len(match["a"]) == 4:
        orders = [(a, b, c)]  # year, month, day
    else:
        year = c + 2000 if c < 100 else c
        orders = [(year, a, b), (year, b, a)]  # month first (en-US), day first (it, en-GB)
    hour = _hour(int(match["h"]), match["ampm"])
    zone = _offset(match["zone"])
    found = []
    for year, month, day in orders:
        try:
            naive = dt.datetime(year, month, day, hour, int(match["m"]), int(match["s"] or 0))
        except ValueError:
            continue
        found.append(naive.replace(tzinfo=zone) if zone else _aware(naive, clock))
    return found


def _offset(zone: str | None) -> dt.tzinfo | None:
    if not zone:
        return None
    if zone.lower() in ("z", "utc", "gmt"):
        return dt.timezone.utc
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _named(text: str, clock: Clock) -> list[dt.datetime]:
    match = NAMED.match(text)
    if not match or match["month"].lower() not in MONTHS:
        return []
    try:
        naive = dt.datetime(
            int(match["year"]),
            MONTHS[match["month"].lower()],
            int(match["day"]),
            _hour(int(match["h"]), match["ampm"]),
            int(match["m"]),
            int(match["s"] or 0),
        )
    except ValueError:
        return []
    return [_aware(naive, clock)]


def _time_only(text: str, clock: Clock) -> list[dt.datetime]:
    match = TIME_ONLY.match(text)
    if not match:
        return []
    day = clock.near.astimezone(clock.zone).date()
    moment = dt.time(_hour(int(match["h"]), match["ampm"]), int(match["m"]), int(match["s"] or 0))
    return [dt.datetime.combine(day, moment, tzinfo=clock.zone)]
