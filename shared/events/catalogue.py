"""Every event type on the bus with its data schema, version 1."""

from __future__ import annotations

from marshmallow import fields, validate

from .fields import (EVENT_TYPES, EventSummary, Lenient, LocalizedLongText, LocalizedText,
                     Participant, utc_datetime, validate_timezone)
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

REGISTRATION_STATES = ("pending", "confirmed", "waitlisted", "offered", "cancelled", "rejected", "expired")


class RegistrationData(Lenient):
    """A registration after a transition. `manage_url` holds the secret link
    and is present only when the link was just issued: treat it as private."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(REGISTRATION_STATES))
    previous_status = fields.String(load_default=None, allow_none=True)
    participant = fields.Nested(Participant, required=True)
    event = fields.Nested(EventSummary, required=True)
    waitlist_position = fields.Integer(load_default=None, allow_none=True)
    manage_url = fields.String(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)


for _verb in ("confirmed", "waitlisted", "cancelled"):
    register(f"registration.{_verb}")(RegistrationData)
