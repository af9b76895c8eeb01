"""What every layout's parser yields, and the one error they raise."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from shared.errors import Unprocessable

Interval = tuple[dt.datetime, dt.datetime]


class ReportUnreadable(Unprocessable):
    """The file is not a report we can read; the message names the row and column."""

    field = "file"
    location = "files"


@dataclass(frozen=True)
class Clock:
    """How to read the report's times: naive ones are in `timezone` (the
    event's); a time without a date, or a day/month order left open, is
    resolved towards `near` (the start of the session the report is for)."""

    timezone: str
    near: dt.datetime

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


@dataclass
class Person:
    """One attendee of the report: the first row they appear on, their name
    and address as the platform wrote them, and every connection."""

    row: int
    name: str
    email: str
    intervals: list[Interval] = field(default_factory=list)


@dataclass
class Report:
    format: str  # zoom | teams | webex | meet | plain
    people: list[Person]
