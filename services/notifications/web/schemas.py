"""The shapes of notifications' JSON API (marshmallow): the delivery log's
query and rows, and an agenda feed's links."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import MAX_ID

from ..models import DELIVERY_STATES

FILTER = validate.Length(max=320)  # ids are uuids, kinds short words, addresses at most 320


class DeliveryOut(Schema):
    id = fields.Integer()
    message_id = fields.String()
    recipient = fields.String()
    subject = fields.String()
    kind = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    registration_id = fields.String(allow_none=True)
    event_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
    next_attempt_at = fields.AwareDateTime()


class DeliveryQuery(Schema):
    event_id = fields.String(load_default=None, validate=FILTER)
    status = fields.String(load_default=None, validate=validate.OneOf(DELIVERY_STATES))
    kind = fields.String(load_default=None, validate=FILTER)
    registration_id = fields.String(load_default=None, validate=FILTER)
    recipient = fields.String(load_default=None, validate=FILTER)
    before_id = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "page: ids lower than this"},
    )
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class FeedOut(Schema):
    url = fields.String(metadata={"description": "https URL to copy into a calendar"})
    webcal_url = fields.String(metadata={"description": "webcal:// URL (Apple Calendar, Outlook)"})
    google_url = fields.String(metadata={"description": "Google Calendar add-by-URL link"})
    token = fields.String()
