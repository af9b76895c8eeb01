"""HTTP field types shared by the services' request and response schemas, and
the error answers every API operation documents.

Bounds here match what the columns and the calendar code can hold, so a value
that passes the schema never fails later in the database or in a date
computation: date-times and days between 1900 and 2999 (a year-1 date in a time
zone east of UTC has no UTC instant), integer ids within PostgreSQL's `integer`,
names within their columns, single-line texts without line breaks."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from http import HTTPStatus

from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, ValidationError, fields, validate

from shared.events.fields import (  # noqa: F401 (EVENT_TYPES, LOCALES, validate_timezone re-exported)
    EVENT_TYPES,
    LOCALES,
    TEXT_LENGTH,
    TIMEZONE_LENGTH,
    TITLE_LENGTH,
    localized,
    validate_timezone,
)

NAME_LENGTH = 200  # names of rooms, tracks, session types, speakers (the columns are String(200))
MAX_ID = 2**31 - 1  # PostgreSQL integer: the serial ids of sessions, deliveries, workshops
FIRST_YEAR, LAST_YEAR = 1900, 2999
LINE_BREAKS = frozenset("\r\n\x85\u2028\u2029")


def one_line(value: str | None) -> None:
    """A title or a name is one line: it goes into mail subjects and headers,
    calendar SUMMARY lines and export cells."""
    if value and any(char in LINE_BREAKS for char in value):
        raise ValidationError("must be one line (no line breaks)")


def _within_years(value: dt.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(f"must be between the years {FIRST_YEAR} and {LAST_YEAR}")


class BoundedDateTime(fields.DateTime):
    """An ISO date-time between 1900 and 2999 (with or without an offset)."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        _within_years(parsed)
        return parsed


class BoundedDate(fields.Date):
    """An ISO date between 1900 and 2999."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        _within_years(parsed)
        return parsed


class LocalDateTime(BoundedDateTime):
    """An ISO date-time; one without an offset is read in the time zone named
    by the sibling field `timezone` (default Europe/Rome) and stored in UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            name = (data or {}).get("timezone") or "Europe/Rome"
            try:
                validate_timezone(name if isinstance(name, str) else "")
            except ValidationError:
                raise ValidationError("cannot read a local time in an unknown time zone") from None
            parsed = parsed.replace(tzinfo=zoneinfo.ZoneInfo(name))
        return parsed.astimezone(dt.timezone.utc)


def Id(**kwargs) -> fields.Integer:  # noqa: N802 (a field factory, named like the fields)
    """A positive integer id (a session, a delivery), strict: 1.5 or "1" is refused."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def Count(*, max: int, **kwargs) -> fields.Integer:  # noqa: N802, A002
    """A whole number from 0 to `max` (a capacity, a position), strict: 1.5 is refused, not stored as 1."""
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=max), **kwargs)


def _single_line_localized(name: str, *, max_length: int) -> type[Schema]:
    """{it, en}: Italian required, both one line of at most `max_length`."""
    return type(
        name,
        (Schema,),
        {
            "it": fields.String(required=True, validate=[validate.Length(min=1, max=max_length), one_line]),
            "en": fields.String(
                load_default=None, allow_none=True, validate=[validate.Length(max=max_length), one_line]
            ),
        },
    )


Localized = localized("Localized", Schema, max_length=TITLE_LENGTH, required=True)
LocalizedLong = localized("LocalizedLong", Schema, max_length=TEXT_LENGTH, required=False)
LocalizedTitle = _single_line_localized("LocalizedTitle", max_length=TITLE_LENGTH)
LocalizedName = _single_line_localized("LocalizedName", max_length=NAME_LENGTH)


class Page(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


# --- the error answers -------------------------------------------------------------

ERRORS = {
    400: "The body cannot be read (not JSON, or not the documented content type)",
    401: "No bearer token, or one that is expired, forged or revoked",
    403: "The organiser's role does not allow this",
    404: "No such object, or one of another organisation",
    409: "The object's state does not allow this (see message)",
    422: "Invalid input: `errors` names each field and what is wrong with it",
    429: "Too many requests: wait Retry-After seconds",
}


def documented_errors(blp, *statuses: int, **descriptions: str) -> Callable:
    """Document that an operation may answer `statuses`, each with the JSON
    error body of shared/web/api.py (`code`, `status`, `message`, `errors`);
    `descriptions` (e.g. `e409="..."`) replace the general wording."""

    def decorate(view):
        for status in statuses:
            description = descriptions.get(f"e{status}") or ERRORS.get(status) or HTTPStatus(status).phrase
            view = blp.alt_response(status, schema=ErrorSchema, description=description)(view)
        return view

    return decorate
