"""Python iCalendar parsers the project did not write, each as "list of problems".

- vobject (Radicale's parser) with validate=True: required properties per component.
- ical (Home Assistant's parser, pydantic models): value types and TZIDs.
- icalendar (the library the project generates with): it never raises on bad input,
  it records problems in `component.errors` and leaves TZIDs unresolved, so ask it.
"""

import datetime

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream
from ical.exceptions import CalendarParseError
from icalendar.error import IncompleteComponent


def _text(ics_bytes: bytes) -> tuple[str | None, list[str]]:
    try:
        return ics_bytes.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [f"not UTF-8: {exc}"]


def vobject_problems(ics_bytes: bytes) -> list[str]:
    text, problems = _text(ics_bytes)
    if text is None:
        return problems
    try:
        calendar = vobject.readOne(text, validate=True)
    # Broad on purpose: vobject raises ParseError, ValidateError, ValueError, even
    # StopIteration (empty input); any of them means "a Radicale user gets an error".
    except Exception as exc:  # noqa: BLE001
        return [f"vobject: {type(exc).__name__}: {exc}"]
    # An unknown TZID only logs an error, leaves the time naive (floating) and moves the
    # TZID to X-VOBJ-ORIGINAL-TZID: catch that.
    for component in _vobject_walk(calendar):
        for line in component.lines():
            tzid = line.params.get("X-VOBJ-ORIGINAL-TZID", [None])[0]
            values = line.value if isinstance(line.value, list) else [line.value]
            if tzid and any(_is_naive_datetime(value) for value in values):
                problems.append(f"vobject: {component.name} {line.name}: TZID {tzid} unresolved")
    return problems


def _vobject_walk(component):
    yield component
    for child in component.components():
        yield from _vobject_walk(child)


def _is_naive_datetime(value) -> bool:
    return isinstance(value, datetime.datetime) and value.tzinfo is None


def ical_problems(ics_bytes: bytes) -> list[str]:
    text, problems = _text(ics_bytes)
    if text is None:
        return problems
    try:
        IcsCalendarStream.calendar_from_ics(text)
    except CalendarParseError as exc:
        # The summary is generic ("not valid ICS"); the detail names the line/field.
        detail = getattr(exc, "detailed_error", None)
        return [f"ical: {exc}" + (f" ({detail})" if detail else "")]
    return []


def icalendar_problems(ics_bytes: bytes) -> list[str]:
    try:
        calendar = icalendar.Calendar.from_ical(ics_bytes)
    except ValueError as exc:  # e.g. no BEGIN:VCALENDAR at all
        return [f"icalendar: {type(exc).__name__}: {exc}"]
    problems = []
    try:
        calendar.validate()  # calendar level only: PRODID, VERSION, a component
    except IncompleteComponent as exc:
        problems.append(f"icalendar: {type(exc).__name__}: {exc}")
    problems += [
        f"icalendar: {component.name} {prop or '(line)'}: {message}"
        for component in calendar.walk()
        for prop, message in component.errors
    ]
    # Covers both "no VTIMEZONE for a real zone" and "made-up zone name".
    problems += [f"icalendar: TZID {tzid} has no VTIMEZONE" for tzid in sorted(calendar.get_missing_tzids())]
    return problems
