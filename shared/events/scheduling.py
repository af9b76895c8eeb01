"""Events published by scheduling: event.*, schedule.* (version 1)."""

from __future__ import annotations

from marshmallow import fields, validate

from .fields import EVENT_TYPES, Lenient, LocalizedLongText, LocalizedText, utc_datetime, validate_timezone
from .registry import register


class RegistrationSettings(Lenient):
    opens_at = utc_datetime(load_default=None, allow_none=True)
    closes_at = utc_datetime(load_default=None, allow_none=True)
    approval_required = fields.Boolean(load_default=False)


class EventData(Lenient):
    """The full state of an event after the change (consumers upsert it)."""

    event_id = fields.String(required=True)
    slug = fields.String(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(("draft", "published", "cancelled")))
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    title = fields.Nested(LocalizedText, required=True)
    description = fields.Nested(LocalizedLongText, load_default=dict)
    starts_at = utc_datetime(required=True)
    ends_at = utc_datetime(required=True)
    timezone = fields.String(required=True, validate=validate_timezone)
    venue = fields.String(load_default="")
    capacity = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    registration = fields.Nested(RegistrationSettings, load_default=dict)
    url = fields.String(load_default=None, allow_none=True)


register("event.published")(EventData)
register("event.updated")(EventData)
register("event.cancelled")(EventData)
