"""Request and response schemas of the scheduling API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.web.fields import (
    EVENT_TYPES,
    BoundedDate,
    Count,
    LocalDateTime,
    LocalizedLong,
    LocalizedTitle,
    Page,
    one_line,
    validate_timezone,
)

from ...credit_grants import credit_amounts
from ...delivery import public_delivery
from ...links import event_links
from ..context import config
from .credits import CreditAmountOut, credits_field
from .online import LEAD_MINUTES, OnlineRoomOut, delivery_mode_field, no_room_in_person, online_field


class LoginIn(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))


class TokenOut(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class RegistrationSettingsIn(Schema):
    opens_at = LocalDateTime(load_default=None, allow_none=True)
    closes_at = LocalDateTime(load_default=None, allow_none=True)
    approval_required = fields.Boolean(load_default=False)

    @validates_schema
    def _window(self, data, **kwargs):
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            raise ValidationError("must be after opens_at", field_name="closes_at")


class EventIn(Schema):
    title = fields.Nested(LocalizedTitle, required=True)
    description = fields.Nested(LocalizedLong, load_default=dict)
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    timezone = fields.String(load_default="Europe/Rome", validate=validate_timezone)
    venue = fields.String(load_default="", validate=[validate.Length(max=300), one_line])
    capacity = Count(max=1_000_000, load_default=None, allow_none=True)
    registration = fields.Nested(RegistrationSettingsIn, load_default=dict)
    slug = fields.String(load_default=None, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{2,119}$"))
    organisation_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=36)), load_default=None, validate=validate.Length(max=50)
    )
    delivery_mode = delivery_mode_field(of_session=False)
    online = online_field(of_session=False)
    join_link_lead_minutes = LEAD_MINUTES
    credits = credits_field(of="whole event")

    @validates_schema
    def _room(self, data, **kwargs):
        no_room_in_person(data)


class EventPatch(EventIn):
    """Any fields of EventIn; a nested text or room is given whole. Slug and
    organisations do not change."""

    def __init__(self, **kwargs):
        super().__init__(partial=tuple(EventIn._declared_fields), exclude=("slug", "organisation_ids"), **kwargs)


COPIED = (
    *("type", "starts_at", "ends_at", "timezone", "venue", "capacity", "slug", "organisation_ids"),
    *("delivery_mode", "online", "join_link_lead_minutes", "credits"),
)


def event_row(data: dict) -> dict:
    """Flatten validated (possibly partial) input into Event columns."""
    row = {key: data[key] for key in COPIED if key in data}
    if "title" in data:
        row.update(title_it=data["title"]["it"], title_en=data["title"].get("en"))
    if "description" in data:
        row.update(description_it=data["description"].get("it", ""), description_en=data["description"].get("en"))
    if "registration" in data:
        registration = data["registration"]
        row.update(
            registration_opens_at=registration.get("opens_at"),
            registration_closes_at=registration.get("closes_at"),
            approval_required=registration.get("approval_required", False),
        )
    return row


class EventOut(Schema):
    id = fields.String()
    slug = fields.String()
    status = fields.String()
    type = fields.String()
    title = fields.Function(lambda e: {"it": e.title_it, "en": e.title_en})
    description = fields.Function(lambda e: {"it": e.description_it, "en": e.description_en})
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    timezone = fields.String()
    venue = fields.String()
    capacity = fields.Integer(allow_none=True)
    registration = fields.Function(
        lambda e: {
            "opens_at": e.registration_opens_at and e.registration_opens_at.isoformat(),
            "closes_at": e.registration_closes_at and e.registration_closes_at.isoformat(),
            "approval_required": e.approval_required,
        }
    )
    organisation_ids = fields.List(fields.String())
    revision = fields.Integer()
    updated_at = fields.AwareDateTime()
    links = fields.Function(
        lambda e: event_links(config().public_base_url, e.slug),
        metadata={"description": "page, iCal feed (https, webcal, Google add-by-URL), frab XML, c3voc JSON, schedule"},
    )
    delivery_mode = fields.String(metadata={"description": "in_person, online or hybrid"})
    platform = fields.Function(
        lambda e: public_delivery(e.delivery_mode, e.online)["platform"],
        metadata={"description": "the online platform (zoom, teams, ...), null in person; the join link is private"},
    )
    credits = fields.Function(
        lambda e: CreditAmountOut(many=True).dump(credit_amounts(e.credits)),
        metadata={"description": "credits granted for the whole event (sessions may grant more)"},
    )


class OrganiserEventOut(EventOut):
    """An event as its organisers see it: with the confidential online room."""

    online = fields.Nested(OnlineRoomOut, allow_none=True)
    join_link_lead_minutes = fields.Integer()


class EventQuery(Page):
    """`from`/`to` are dates in Europe/Rome: events overlapping those days."""

    type = fields.String(load_default=None, validate=validate.OneOf(EVENT_TYPES))
    organisation = fields.String(
        load_default=None, validate=validate.Length(max=120), metadata={"description": "organisation id or slug"}
    )
    date_from = BoundedDate(load_default=None, data_key="from")
    date_to = BoundedDate(load_default=None, data_key="to")

    @validates_schema
    def _range(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError("must not be before from", field_name="to")


class EventPageOut(Schema):
    items = fields.List(fields.Nested(EventOut))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
