"""Rows of connections grouped into people: by address when the row has one,
else by the name as written (a guest without an account)."""

from __future__ import annotations

import datetime as dt
import re

from .model import Clock, Interval, Person, ReportUnreadable
from .moments import TIME_ONLY, parse_moment
from .table import Table
from .text import Record

DURATION = re.compile(
    r"^(?:(?P<h>\d+)\s*(?:h|hr|hrs|hour|hours|ora|ore)\.?\s*)?(?:(?P<m>\d+)\s*(?:m|min|mins|minute|minutes|minuti)\.?\s*)?"
    r"(?:(?P<s>\d+)\s*(?:s|sec|secs|second|seconds|secondi)\.?)?$",
    re.IGNORECASE,
)


def grouped(people: list[tuple[int, str, str, Interval]]) -> list[Person]:
    """(row, name, email, interval) rows as people, in the order they first appear."""
    found: dict[str, Person] = {}
    for row, name, email, interval in people:
        key = email.lower() if email else "name:" + " ".join(name.lower().split())
        person = found.setdefault(key, Person(row=row, name=name, email=email))
        person.intervals.append(interval)
        if not person.name and name:
            person.name = name
    return list(found.values())


def span(table: Table, record: Record, clock: Clock, join: str = "join", leave: str = "leave") -> Interval:
    """The row's (join, leave); a leave before the join is an error naming the leave column."""
    started = table.read(record, join, lambda v: parse_moment(v, clock), "a date and time")
    ended = table.read(record, leave, lambda v: parse_moment(v, clock), "a date and time")
    if ended < started and TIME_ONLY.match(table.cell(record, leave)):
        ended += dt.timedelta(days=1)  # a time alone, past midnight
    if ended < started:
        raise ReportUnreadable(f"row {record[0]}, column '{table.headers[leave]}': before the join time")
    return started, ended


def parse_duration(text: str) -> dt.timedelta:
    """Minutes as a number ("65", "65.5"), a clock ("1:05:00"), or words ("1 h 5 min", "45m 10s")."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return dt.timedelta(minutes=float(text.replace(",", ".")))
    if re.fullmatch(r"\d+:\d{2}(?::\d{2})?", text):
        parts = [int(p) for p in text.split(":")]
        hours, minutes, seconds = (parts + [0])[:3] if len(parts) == 2 else parts
        return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    match = DURATION.match(text)
    if not text or not match or not any(match.groupdict().values()):
        raise ValueError(text)
    return dt.timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0), seconds=int(match["s"] or 0))


def address(text: str) -> str:
    """The cell if it looks like an e-mail address, else empty (platforms write "-" or a user id)."""
    text = text.strip()
    return text if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) else ""
