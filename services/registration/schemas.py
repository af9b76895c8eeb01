"""Request and response schemas of the registration API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.http_fields import LOCALES


class ParticipantIn(Schema):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True, validate=validate.Length(max=320))
    organisation = fields.String(load_default="", validate=validate.Length(max=200))
    locale = fields.String(load_default="it", validate=validate.OneOf(LOCALES))


class ListingOut(Schema):
    event_id = fields.String(attribute="id")
    slug = fields.String()
    title = fields.Function(lambda listing: {"it": listing.title_it, "en": listing.title_en})
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    timezone = fields.String()
    status = fields.String()
    capacity = fields.Integer(allow_none=True)
    seats_left = fields.Function(lambda listing: listing.seats_left())


class RegistrationOut(Schema):
    id = fields.String()
    event_id = fields.String()
    status = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    organisation = fields.String()
    locale = fields.String()
    waitlist_position = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class IssuedOut(Schema):
    registration = fields.Nested(RegistrationOut)
    token = fields.String(metadata={"description": "The secret that manages this registration; shown once."})
    manage_url = fields.String()
