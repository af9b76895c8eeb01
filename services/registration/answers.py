"""One answer checked and normalised against its field: pure functions.
Values arrive from JSON (typed) or from the HTML form (strings)."""

from __future__ import annotations

import datetime as dt
import re

DEFAULT_MAX_LENGTH = 1000
# Numbers are kept as JSON numbers and read back as floats: beyond 10^15 a
# float no longer holds every integer exactly, so larger answers are refused.
MAX_NUMBER = 10**15  # answers stay below it
MAX_DIGITS = 40  # of a number typed as text, before it is read at all
# Dates a form may ask for (a birth date, a date of hire, a day of the event).
TOO_LARGE = "must be a number of at most 15 digits"
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
# Free text keeps its tabs and line breaks; no other C0 control (NUL cannot even be stored on PostgreSQL).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRUE_WORDS = {"1", "true", "on", "yes", "si", "sì"}


def normalise(field, raw) -> tuple[object, str | None]:
    """(value, None) when fine, (None, problem) otherwise; None means unanswered."""
    if raw is None or raw == "" or raw == []:
        missing = field.required and field.kind != "checkbox"
        return (None, "this field is required") if missing else _checkbox_default(field)
    return KINDS[field.kind](field, raw)


def _checkbox_default(field):
    if field.kind != "checkbox":
        return None, None
    return (None, "this box must be ticked") if field.required else (False, None)


def _text(field, raw):
    if not isinstance(raw, str):
        return None, "must be text"
    control = CONTROL.search(raw)
    if control:
        return None, f"must be text without control characters (U+{ord(control.group()):04X} is not allowed)"
    value, limit = raw.strip(), field.max_length or DEFAULT_MAX_LENGTH
    if len(value) > limit:
        return None, f"at most {limit} characters"
    return (None, "this field is required") if field.required and not value else (value, None)


def _number(field, raw):
    if isinstance(raw, bool):
        return None, "must be a number"
    if isinstance(raw, str) and len(raw.strip()) > MAX_DIGITS:
        return None, TOO_LARGE
    try:
        value = float(raw.replace(",", ".")) if isinstance(raw, str) else float(raw)
    except OverflowError:  # an integer too large for a float (JSON numbers may have any number of digits)
        return None, TOO_LARGE
    except (TypeError, ValueError):
        return None, "must be a number"
    if value != value:
        return None, "must be a number"
    if abs(value) >= MAX_NUMBER:
        return None, TOO_LARGE
    if field.min_value is not None and value < field.min_value:
        return None, f"at least {field.min_value:g}"
    if field.max_value is not None and value > field.max_value:
        return None, f"at most {field.max_value:g}"
    return (int(value) if value.is_integer() else value), None


def _date(field, raw):
    if not isinstance(raw, str) or len(raw) > 10:
        return None, "must be a date (YYYY-MM-DD)"
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        return None, "must be a date (YYYY-MM-DD)"
    if not FIRST_DATE <= value <= LAST_DATE:
        return None, f"must be a date between {FIRST_DATE.year} and {LAST_DATE.year}"
    return value.isoformat(), None


def _choice(field, raw):
    if not isinstance(raw, str) or field.option(raw) is None:
        return None, "not one of the options"
    return raw, None


def _multiple(field, raw):
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None, "must be a list of options"
    values = list(dict.fromkeys(values))
    if len(values) > len(field.options) or any(field.option(v) is None for v in values):
        return None, "not one of the options"
    return values, None


def _checkbox(field, raw):
    value = raw if isinstance(raw, bool) else str(raw).strip().lower() in TRUE_WORDS
    return (None, "this box must be ticked") if field.required and not value else (value, None)


KINDS = {
    "text": _text,
    "number": _number,
    "date": _date,
    "choice": _choice,
    "multiple_choice": _multiple,
    "checkbox": _checkbox,
}
