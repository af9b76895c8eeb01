"""Request and response schemas of the programme API (rooms, tracks, session
types, speakers, sessions, conflicts, releases, the released schedule)."""

from __future__ import annotations

from collections.abc import Callable

from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields, validate, validates_schema

from shared.web.fields import (
    NAME_LENGTH,
    BoundedDateTime,
    Count,
    LocalizedLong,
    LocalizedName,
    LocalizedTitle,
    one_line,
)

from ...models import LANGUAGES, SESSION_KINDS
from .credits import HOURS, CreditAmountOut, credits_field
from .online import OnlineRoomOut, delivery_mode_field, no_room_in_person, online_field

COLOUR = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="a colour like #1a2b3c")
ID = validate.Length(max=36)  # the rows' ids are uuids; a longer one names nothing
NAME: list[Callable] = [validate.Length(min=1, max=NAME_LENGTH), one_line]


class RoomIn(Schema):
    name = fields.String(required=True, validate=NAME)
    capacity = Count(max=1_000_000, load_default=None, allow_none=True)
    position = Count(max=10_000, load_default=0)


class RoomOut(Schema):
    id = fields.String()
    name = fields.String()
    capacity = fields.Integer(allow_none=True)
    position = fields.Integer()


class TrackIn(Schema):
    name = fields.Nested(LocalizedName, required=True)
    colour = fields.String(load_default="#336699", validate=COLOUR)


class NamedOut(Schema):
    id = fields.String()
    name = fields.Function(lambda item: {"it": item.name_it, "en": item.name_en})


class TrackOut(NamedOut):
    colour = fields.String()


class SessionTypeIn(Schema):
    name = fields.Nested(LocalizedName, required=True)


class ShortBio(Schema):
    it = fields.String(load_default="", validate=validate.Length(max=2000))
    en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class SpeakerIn(Schema):
    name = fields.String(required=True, validate=NAME)
    affiliation = fields.String(load_default="", validate=[validate.Length(max=300), one_line])
    bio = fields.Nested(ShortBio, load_default=dict)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=320))


class SpeakerOut(Schema):
    """Organisers only: the e-mail address is private."""

    id = fields.String()
    name = fields.String()
    affiliation = fields.String()
    bio = fields.Function(lambda s: {"it": s.bio_it, "en": s.bio_en})
    email = fields.String(allow_none=True)


class SessionIn(Schema):
    """Times without an offset are local times of the event's time zone."""

    kind = fields.String(load_default="session", validate=validate.OneOf(SESSION_KINDS))
    title = fields.Nested(LocalizedTitle, required=True)
    abstract = fields.Nested(LocalizedLong, load_default=dict)
    language = fields.String(load_default="it", validate=validate.OneOf(LANGUAGES))
    room_id = fields.String(load_default=None, allow_none=True, validate=ID)
    track_id = fields.String(load_default=None, allow_none=True, validate=ID)
    type_id = fields.String(load_default=None, allow_none=True, validate=ID)
    speaker_ids = fields.List(fields.String(validate=ID), load_default=list, validate=validate.Length(max=100))
    starts_at = BoundedDateTime(required=True)
    ends_at = BoundedDateTime(required=True)
    requires_signup = fields.Boolean(load_default=False)
    seat_limit = fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(min=1, max=100_000)
    )
    delivery_mode = delivery_mode_field(of_session=True)
    online = online_field(of_session=True)
    hours = HOURS
    credits = credits_field(of="session")

    @validates_schema
    def _room(self, data, **kwargs):
        no_room_in_person(data)


class ConflictOut(Schema):
    kind = fields.String()
    message = fields.String()
    session_ids = fields.List(fields.Integer())
    room_id = fields.String(allow_none=True)
    speaker_id = fields.String(allow_none=True)


class ConflictsOut(Schema):
    conflicts = fields.List(fields.Nested(ConflictOut))


class SessionOut(Schema):
    id = fields.Integer()
    guid = fields.String()
    kind = fields.String()
    status = fields.String()
    title = fields.Dict()
    abstract = fields.Dict()
    language = fields.String()
    room_id = fields.String(allow_none=True)
    track_id = fields.String(allow_none=True)
    type_id = fields.String(allow_none=True)
    speaker_ids = fields.List(fields.String())
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    requires_signup = fields.Boolean()
    seat_limit = fields.Integer(allow_none=True)
    sequence = fields.Integer(metadata={"description": "SEQUENCE as last released"})
    updated_at = fields.AwareDateTime()
    conflicts = fields.List(fields.Nested(ConflictOut))
    delivery_mode = fields.String(allow_none=True, metadata={"description": "null: as the event"})
    online = fields.Nested(OnlineRoomOut, allow_none=True, metadata={"description": "the session's own room"})
    hours = fields.Float(allow_none=True, metadata={"description": "certified hours; null: its duration"})
    credits = fields.List(fields.Nested(CreditAmountOut))


class SessionListQuery(Schema):
    include_cancelled = fields.Boolean(load_default=False)


class SessionListOut(Schema):
    items = fields.List(fields.Nested(SessionOut))
    conflicts = fields.List(fields.Nested(ConflictOut))


class ReleaseRefusedOut(ErrorSchema):
    """A release refused: the error body, with the conflicts when those are why."""

    conflicts = fields.List(fields.Nested(ConflictOut))


class ReleaseIn(Schema):
    name = fields.String(load_default=None, allow_none=True, validate=[validate.Length(min=1, max=100), one_line])
    comment = fields.String(load_default="", validate=validate.Length(max=2000))
    force = fields.Boolean(load_default=False, metadata={"description": "release even with conflicts"})


class VersionOut(Schema):
    number = fields.Integer()
    name = fields.String()
    released_at = fields.AwareDateTime()
    forced = fields.Boolean()
    comment = fields.String()
    changelog = fields.Dict(
        metadata={"description": "added, moved, re_roomed, cancelled, changed, online (mode or online room)"}
    )


class ReleaseOut(VersionOut):
    conflicts = fields.List(fields.Nested(ConflictOut), metadata={"description": "released anyway (forced)"})


class ReleasedScheduleOut(Schema):
    """The last released version, as the public sees it (times in UTC)."""

    event = fields.Dict()
    version = fields.Dict()
    rooms = fields.List(fields.Dict())
    tracks = fields.List(fields.Dict())
    session_types = fields.List(fields.Dict())
    speakers = fields.List(fields.Dict())
    sessions = fields.List(fields.Dict(), metadata={"description": "status confirmed or cancelled"})
    links = fields.Dict()


def session_row(data: dict) -> dict:
    """Flatten validated (possibly partial) input into session columns."""
    row = {key: value for key, value in data.items() if key not in ("title", "abstract")}
    if "title" in data:
        row.update(title_it=data["title"]["it"], title_en=data["title"].get("en"))
    if "abstract" in data:
        row.update(abstract_it=data["abstract"].get("it", ""), abstract_en=data["abstract"].get("en"))
    return row


def named_row(data: dict) -> dict:
    """Tracks and session types: name {it, en} -> name_it, name_en."""
    row = {key: value for key, value in data.items() if key != "name"}
    if "name" in data:
        row.update(name_it=data["name"]["it"], name_en=data["name"].get("en"))
    return row


def speaker_row(data: dict) -> dict:
    row = {key: value for key, value in data.items() if key != "bio"}
    if "bio" in data:
        row.update(bio_it=data["bio"].get("it", ""), bio_en=data["bio"].get("en"))
    return row
