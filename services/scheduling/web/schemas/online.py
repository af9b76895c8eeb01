"""The online room in and out of the API. Organisers send and read the whole
room; public answers carry only the delivery mode and the platform."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from shared.events.scheduling import DELIVERY_MODES, JOIN_LINK_LEAD_MINUTES, PLATFORMS
from shared.web.fields import one_line

URL_LENGTH = 2000  # the column's length; longer links are not meeting links


class OnlineRoomIn(Schema):
    """How participants join. Confidential: only confirmed participants and
    the event's organisers ever see it."""

    platform = fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    join_url = fields.String(
        required=True,
        validate=[validate.Length(max=URL_LENGTH), validate.URL(schemes={"https", "http"}, require_tld=False)],
    )
    meeting_id = fields.String(load_default="", validate=[validate.Length(max=100), one_line])
    passcode = fields.String(load_default="", validate=[validate.Length(max=100), one_line])
    dial_in = fields.String(load_default="", validate=validate.Length(max=1000))


class OnlineRoomOut(Schema):
    platform = fields.String()
    join_url = fields.String()
    meeting_id = fields.String()
    passcode = fields.String()
    dial_in = fields.String()


def delivery_mode_field(*, of_session: bool) -> fields.String:
    """A session's mode may be null: as the event."""
    return fields.String(
        load_default=None if of_session else "in_person",
        allow_none=of_session,
        validate=validate.OneOf(DELIVERY_MODES),
        metadata={
            "description": "null: as the event"
            if of_session
            else "in_person (default), online or hybrid; online and hybrid need `online`"
        },
    )


def online_field(*, of_session: bool) -> fields.Nested:
    description = (
        "the session's own room; null: the event's. Refused (422) with delivery_mode in_person"
        if of_session
        else "required when online or hybrid; refused (422) with in_person; a change to in_person clears it"
    )
    return fields.Nested(OnlineRoomIn, load_default=None, allow_none=True, metadata={"description": description})


def no_room_in_person(data: dict) -> None:
    """In person and a room in one request contradict each other: refused
    rather than one of them silently dropped."""
    if data.get("delivery_mode") == "in_person" and data.get("online"):
        raise ValidationError("an in-person delivery has no online room", field_name="online")


LEAD_MINUTES = fields.Integer(
    strict=True,
    load_default=JOIN_LINK_LEAD_MINUTES,
    validate=validate.Range(min=0, max=60 * 24 * 14),
    metadata={"description": "how long before the start confirmed participants see the join link"},
)
