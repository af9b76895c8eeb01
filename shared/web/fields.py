"""HTTP field types shared by the services' request and response schemas."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from marshmallow import Schema, ValidationError, fields, validate

from shared.events.fields import (  # noqa: F401 (EVENT_TYPES, LOCALES, validate_timezone re-exported)
    EVENT_TYPES,
    LOCALES,
    TEXT_LENGTH,
    TITLE_LENGTH,
    localized,
    validate_timezone,
)


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


Localized = localized("Localized", Schema, max_length=TITLE_LENGTH, required=True)
LocalizedLong = localized("LocalizedLong", Schema, max_length=TEXT_LENGTH, required=False)


class Page(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
