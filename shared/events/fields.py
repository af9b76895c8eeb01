"""Field groups reused by several event schemas."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

EVENT_TYPES = ("congress", "conference", "seminar", "course", "summer_school", "meeting", "workshop")
LOCALES = ("it", "en")


def utc_datetime(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(default_timezone=dt.timezone.utc, **kwargs)


TIMEZONE_LENGTH = 64  # the longest IANA name is 32; the columns hold 64


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(name: str) -> None:
    """One of the IANA names this machine knows. Checked against the list
    rather than by opening the file: an arbitrary name would be a path (a long
    one fails with OSError, a deep one with RecursionError)."""
    if len(name) > TIMEZONE_LENGTH or name not in _known_zones():
        raise ValidationError("not an IANA time zone name")


class Lenient(Schema):
    """Consumers ignore fields they do not know (additive changes)."""

    class Meta:
        unknown = EXCLUDE


TITLE_LENGTH, TEXT_LENGTH = 300, 20000


def localized(name: str, base: type[Schema], *, max_length: int, required: bool) -> type[Schema]:
    """A text in Italian (required, or empty by default) and optionally in
    English, each at most `max_length` long. The base decides strictness: the
    HTTP schemas refuse unknown keys, the event schemas ignore them."""
    italian = (
        fields.String(required=True, validate=validate.Length(min=1, max=max_length))
        if required
        else fields.String(load_default="", validate=validate.Length(max=max_length))
    )
    english = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=max_length))
    return type(name, (base,), {"it": italian, "en": english})


LocalizedText = localized("LocalizedText", Lenient, max_length=TITLE_LENGTH, required=True)
LocalizedLongText = localized("LocalizedLongText", Lenient, max_length=TEXT_LENGTH, required=False)


class EventSummary(Lenient):
    """What a registration event says about its event, enough for an e-mail
    and an invitation without calling scheduling."""

    event_id = fields.String(required=True)
    slug = fields.String(required=True)
    title = fields.Nested(LocalizedText, required=True)
    starts_at = utc_datetime(required=True)
    ends_at = utc_datetime(required=True)
    timezone = fields.String(required=True, validate=validate_timezone)
    venue = fields.String(load_default="")
    url = fields.String(load_default=None, allow_none=True)
    revision = fields.Integer(load_default=1)


class Participant(Lenient):
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    email = fields.Email(required=True)
    organisation = fields.String(load_default="")
    locale = fields.String(load_default="it", validate=validate.OneOf(LOCALES))


class CreditAmount(Lenient):
    """Credits of one type defined by an organisation (e.g. "Crediti formativi
    revisori", unit "CFP"), granted for an event or a session."""

    type_id = fields.String(required=True)
    organisation_id = fields.String(load_default="")
    name = fields.Nested(LocalizedText, required=True)
    unit = fields.String(load_default="")
    amount = fields.Float(required=True, validate=validate.Range(min=0, max=10000))
