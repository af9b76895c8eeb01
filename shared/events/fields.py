"""Field groups reused by several event schemas."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

EVENT_TYPES = ("congress", "conference", "seminar", "course", "summer_school", "meeting", "workshop")
LOCALES = ("it", "en")


def utc_datetime(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(default_timezone=dt.timezone.utc, **kwargs)


def validate_timezone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("not an IANA time zone name") from None


class Lenient(Schema):
    """Consumers ignore fields they do not know (additive changes)."""

    class Meta:
        unknown = EXCLUDE


class LocalizedText(Lenient):
    it = fields.String(required=True, validate=validate.Length(min=1, max=300))
    en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))


class LocalizedLongText(Lenient):
    it = fields.String(load_default="", validate=validate.Length(max=20000))
    en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000))


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
