"""Attendance reports of webinar platforms read into people and the spans
they were connected: one module per platform's layout (zoom, teams, webex,
meet, plain) and a detector that picks the layout from the file itself.
Pure functions: no database, no Flask. docs/online.md describes each layout."""

from .detect import read_report
from .intervals import clipped, merged
from .model import Clock, Person, Report, ReportUnreadable

__all__ = ["Clock", "Person", "Report", "ReportUnreadable", "clipped", "merged", "read_report"]
