"""HTTP field types shared by the services' request and response schemas."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from marshmallow import Schema, ValidationError, fields, validate

from shared.events.fields import EVENT_TYPES, LOCALES, validate_timezone  # noqa: F401 (re-exported)


class LocalDateTime(fields.DateTime):
    """An ISO date-time; one without an offset is read in the time zone named
    by the sibling field `timezone` (default Europe/Rome) and stored in UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            try:
                zone = zoneinfo.ZoneInfo((data or {}).get("timezone") or "Europe/Rome")
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValidationError("cannot read a local time in an unknown time zone") from None
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(dt.timezone.utc)


class Localized(Schema):
    it = fields.String(required=True, validate=validate.Length(min=1, max=300))
    en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))


class LocalizedLong(Schema):
    it = fields.String(load_default="", validate=validate.Length(max=20000))
    en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000))


class Page(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
