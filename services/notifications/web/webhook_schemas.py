"""The shapes of the webhook API (marshmallow): an endpoint in and out (the
secret only on creation and rotation), a change, and the delivery log."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import one_line

from ..models import WEBHOOK_DELIVERY_STATES
from ..webhooks.event_types import MAX_TYPES
from ..webhooks.urls import MAX_URL

TYPE = fields.String(validate=validate.Length(min=1, max=80))
LANGUAGE = validate.OneOf(("it", "en"))


class EndpointIn(Schema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=MAX_URL))
    event_types = fields.List(TYPE, required=True, validate=validate.Length(min=1, max=MAX_TYPES))
    description = fields.String(load_default="", validate=[validate.Length(max=300), one_line])
    contact_email = fields.String(
        load_default=None,
        validate=validate.Length(max=320),
        metadata={"description": "who is told when the endpoint is disabled; default: your account's e-mail"},
    )
    contact_language = fields.String(load_default="it", validate=LANGUAGE)


class EndpointChangeIn(Schema):
    url = fields.String(validate=validate.Length(min=1, max=MAX_URL))
    event_types = fields.List(TYPE, validate=validate.Length(min=1, max=MAX_TYPES))
    description = fields.String(validate=[validate.Length(max=300), one_line])
    enabled = fields.Boolean(metadata={"description": "true enables (and sends what waited), false disables"})
    contact_email = fields.String(validate=validate.Length(min=1, max=320))
    contact_language = fields.String(validate=LANGUAGE)


class EndpointOut(Schema):
    id = fields.String()
    organisation_id = fields.String()
    url = fields.String()
    description = fields.String()
    event_types = fields.List(fields.String())
    enabled = fields.Boolean()
    disabled_reason = fields.String(allow_none=True, metadata={"description": "failures | organiser"})
    disabled_at = fields.AwareDateTime(allow_none=True)
    consecutive_failures = fields.Integer()
    contact_email = fields.String()
    contact_language = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class EndpointWithSecretOut(EndpointOut):
    secret = fields.String(metadata={"description": "shown only now: keep it to verify signatures"})


class WebhookDeliveryOut(Schema):
    id = fields.String(metadata={"description": "the Eventi-Webhook-Id header"})
    message_id = fields.String(metadata={"description": "the envelope's id"})
    event_type = fields.String()
    status = fields.String(metadata={"description": "pending | delivered | failed"})
    attempts = fields.Integer()
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    response_excerpt = fields.String(allow_none=True)
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    last_attempt_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    delivered_at = fields.AwareDateTime(allow_none=True)


class WebhookDeliveryQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(WEBHOOK_DELIVERY_STATES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
