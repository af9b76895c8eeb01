"""Request and response schemas of the public and self-service API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import LOCALES

from .text import Address, SingleLine

NAME = validate.Length(min=1, max=100)
SESSION_ID = validate.Range(min=1, max=2**31 - 1)  # scheduling's ids, an INTEGER column
KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="lower-case letters, digits and _, at most 40")


class Answers(fields.Dict):
    """Custom-field answers by field key; each value is checked against the form."""

    def __init__(self, **kwargs):
        super().__init__(
            keys=fields.String(validate=validate.Length(max=40)),
            values=fields.Raw(allow_none=True),
            validate=validate.Length(max=100),
            **kwargs,
        )


class ParticipantIn(Schema):
    first_name = SingleLine(required=True, validate=NAME)
    last_name = SingleLine(required=True, validate=NAME)
    email = Address(
        required=True,
        metadata={
            "description": "Stored with its domain in ASCII (IDNA) form; the part before @ must be ASCII",
        },
    )
    organisation = SingleLine(
        load_default="", validate=validate.Length(max=200), metadata={"description": "Organisation or municipality"}
    )
    role = SingleLine(load_default="", validate=validate.Length(max=100))
    locale = fields.String(load_default="it", validate=validate.OneOf(LOCALES))
    category = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    answers = Answers(load_default=dict)
    workshops = fields.List(
        fields.Integer(validate=SESSION_ID),
        load_default=list,
        validate=validate.Length(max=30),
        metadata={"description": "Session ids of workshops (sessions requiring sign-up)"},
    )
    privacy_consent = fields.Boolean(load_default=False)
    privacy_notice_version = SingleLine(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=40),
        metadata={"description": "The privacy notice version the person read (the form's policy_version)"},
    )


class ChangeIn(Schema):
    """Only what is given changes; answers are merged (null clears one)."""

    first_name = SingleLine(validate=NAME)
    last_name = SingleLine(validate=NAME)
    organisation = SingleLine(validate=validate.Length(max=200))
    role = SingleLine(validate=validate.Length(max=100))
    locale = fields.String(validate=validate.OneOf(LOCALES))
    answers = Answers()
    workshops = fields.List(fields.Integer(validate=SESSION_ID), validate=validate.Length(max=30))


class LinkRequestIn(Schema):
    email = Address(required=True)


class MessageOut(Schema):
    message = fields.String()


class LocalizedOut(Schema):
    it = fields.String()
    en = fields.String(allow_none=True)


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
    approval_required = fields.Boolean()


class CategoryRefOut(Schema):
    code = fields.String()
    label = fields.Nested(LocalizedOut)


class WorkshopChoiceOut(Schema):
    session_id = fields.Integer()
    title = fields.Nested(LocalizedOut)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    room = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "requested | confirmed | waitlisted"})
    waitlist_position = fields.Integer(allow_none=True)
    overlaps_with = fields.List(
        fields.Integer(),
        metadata={
            "description": "Session ids of the participant's other workshops at the same time (a new release "
            "may move one onto another): keep one of them"
        },
    )


class ConsentOut(Schema):
    given_at = fields.AwareDateTime(allow_none=True)
    policy_version = fields.String(allow_none=True)


class RegistrationOut(Schema):
    id = fields.String()
    event_id = fields.String()
    status = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    organisation = fields.String()
    role = fields.String()
    locale = fields.String()
    category = fields.Nested(CategoryRefOut, allow_none=True)
    answers = fields.Dict()
    waitlist_position = fields.Integer(allow_none=True)
    category_waitlist_position = fields.Integer(allow_none=True)
    offer_expires_at = fields.AwareDateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    workshops = fields.List(fields.Nested(WorkshopChoiceOut))
    privacy_consent = fields.Nested(ConsentOut)
    certified_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class AttendanceOut(Schema):
    minutes_attended = fields.Integer()
    total_minutes = fields.Integer()
    percent = fields.Float()
    certified_at = fields.AwareDateTime(allow_none=True)


class OnlineRoomOut(Schema):
    session_id = fields.Integer(allow_none=True, metadata={"description": "null: the event's room"})
    title = fields.Nested(LocalizedOut, allow_none=True)
    platform = fields.String(metadata={"description": "zoom | teams | webex | meet | jitsi | other"})
    platform_name = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    shown_from = fields.AwareDateTime(metadata={"description": "From when the link and codes are given"})
    available = fields.Boolean(metadata={"description": "Between shown_from and the end: the fields below are set"})
    over = fields.Boolean()
    personal = fields.Boolean(metadata={"description": "join_url is this participant's own link"})
    join_url = fields.String(allow_none=True)
    meeting_id = fields.String(allow_none=True)
    passcode = fields.String(allow_none=True)
    dial_in = fields.String(allow_none=True)


class HowToJoinOut(Schema):
    delivery_mode = fields.String(metadata={"description": "online | hybrid"})
    rooms = fields.List(fields.Nested(OnlineRoomOut))


class OwnRegistrationOut(RegistrationOut):
    checkin_code = fields.String(metadata={"description": "The signed payload of the check-in QR code"})
    attendance = fields.Nested(AttendanceOut)
    online = fields.Nested(
        HowToJoinOut,
        allow_none=True,
        metadata={"description": "How to join online; only for a confirmed registration of an online or hybrid event"},
    )


class IssuedOut(Schema):
    registration = fields.Nested(RegistrationOut)
    token = fields.String(metadata={"description": "The secret that manages this registration; shown once."})
    manage_url = fields.String()
