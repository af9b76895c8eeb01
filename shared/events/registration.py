"""Events published by registration: registration.*, attendance.*, participant.* (version 1)."""

from __future__ import annotations

from marshmallow import fields, validate

from .fields import EventSummary, Lenient, Participant
from .registry import register

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
