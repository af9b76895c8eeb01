"""Which layout a file is, from its own headers (never from its name): the
first layout that recognises it reads it; none is a 422 that names the
headers it found."""

from __future__ import annotations

from . import meet, plain, teams, webex, zoom
from .model import Clock, Report, ReportUnreadable
from .table import header_rows
from .text import records

# Most distinctive first: Teams' sections, Zoom's "Name (Original Name)", Meet's "Time joined",
# Webex's attendee columns; the plain layout last.
LAYOUTS = {"teams": teams, "zoom": zoom, "meet": meet, "webex": webex, "plain": plain}


def read_report(content: bytes, clock: Clock) -> Report:
    rows = records(content)
    for name, layout in LAYOUTS.items():
        if layout.recognises(rows):
            return Report(format=name, people=layout.parse(rows, clock))
    first = next((sorted(keys) for keys in header_rows(rows) if keys), [])
    raise ReportUnreadable(
        "not an attendance report we recognise (Zoom, Teams, Webex, Google Meet, or a CSV of email, join, leave); "
        f"first row: {', '.join(first[:12]) or 'empty'}"
    )
