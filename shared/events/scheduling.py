"""Events published by scheduling: event.*, schedule.*, organisation.* (version 1)."""

from __future__ import annotations

from marshmallow import fields, validate

from .fields import (
    EVENT_TYPES,
    LOCALES,
    CreditAmount,
    Lenient,
    LocalizedLongText,
    LocalizedText,
    utc_datetime,
    validate_timezone,
)
from .registry import register

DELIVERY_MODES = ("in_person", "online", "hybrid")
PLATFORMS = ("zoom", "teams", "webex", "meet", "jitsi", "other")
JOIN_LINK_LEAD_MINUTES = 60  # the personal page shows the join link from this long before the start


class OnlineRoom(Lenient):
    """How to join online. Confidential: a consumer gives it only to confirmed
    participants, and it never reaches a public page, feed, export or API."""

    platform = fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    join_url = fields.String(required=True, validate=validate.URL(schemes={"https", "http"}))
    meeting_id = fields.String(load_default="")
    passcode = fields.String(load_default="")
    dial_in = fields.String(load_default="")


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
    organisation_ids = fields.List(fields.String(), load_default=list)  # who organises it (roles in tokens)
    delivery_mode = fields.String(load_default="in_person", validate=validate.OneOf(DELIVERY_MODES))
    online = fields.Nested(OnlineRoom, load_default=None, allow_none=True)  # present when online or hybrid
    join_link_lead_minutes = fields.Integer(
        load_default=JOIN_LINK_LEAD_MINUTES, validate=validate.Range(min=0, max=60 * 24 * 14)
    )
    credits = fields.List(fields.Nested(CreditAmount), load_default=list)  # for the whole event


register("event.published")(EventData)
register("event.updated")(EventData)
register("event.cancelled")(EventData)


# --- schedule.released --------------------------------------------------------

SESSION_STATES = ("confirmed", "cancelled")
# `online`: the session's delivery mode or its online room changed
CHANGE_KINDS = ("added", "moved", "re_roomed", "cancelled", "changed", "online")


class RoomRef(Lenient):
    id = fields.String(required=True)
    name = fields.String(required=True)


class TrackRef(Lenient):
    id = fields.String(required=True)
    name = fields.Nested(LocalizedText, required=True)
    colour = fields.String(load_default=None, allow_none=True)


class SessionTypeRef(Lenient):
    id = fields.String(required=True)
    name = fields.Nested(LocalizedText, required=True)


class SpeakerRef(Lenient):
    """Public speaker facts only: the e-mail address never leaves scheduling."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    affiliation = fields.String(load_default="")


class PreviousPlacement(Lenient):
    starts_at = utc_datetime(required=True)
    ends_at = utc_datetime(required=True)
    room = fields.Nested(RoomRef, load_default=None, allow_none=True)


class SessionData(Lenient):
    """The full released state of one session (or break) after the change.
    `sequence` is its iCalendar SEQUENCE; `updated_at` its DTSTAMP."""

    id = fields.Integer(required=True, validate=validate.Range(min=1))
    guid = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("session", "break")))
    status = fields.String(required=True, validate=validate.OneOf(SESSION_STATES))
    changes = fields.List(fields.String(validate=validate.OneOf(CHANGE_KINDS)), required=True)
    previous = fields.Nested(PreviousPlacement, load_default=None, allow_none=True)
    title = fields.Nested(LocalizedText, required=True)
    abstract = fields.Nested(LocalizedLongText, load_default=dict)
    language = fields.String(required=True, validate=validate.OneOf(("it", "en")))
    starts_at = utc_datetime(required=True)
    ends_at = utc_datetime(required=True)
    room = fields.Nested(RoomRef, load_default=None, allow_none=True)
    track = fields.Nested(TrackRef, load_default=None, allow_none=True)
    type = fields.Nested(SessionTypeRef, load_default=None, allow_none=True)
    speakers = fields.List(fields.Nested(SpeakerRef), load_default=list)
    requires_signup = fields.Boolean(load_default=False)
    seat_limit = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    sequence = fields.Integer(required=True, validate=validate.Range(min=0))
    updated_at = utc_datetime(required=True)
    url = fields.String(load_default=None, allow_none=True)
    # null: as the event. A consumer resolves a session's mode and room as
    # `session.delivery_mode or event.delivery_mode`, `session.online or event.online`.
    delivery_mode = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(DELIVERY_MODES))
    online = fields.Nested(OnlineRoom, load_default=None, allow_none=True)
    # Certified hours of the session: null means its duration. Credits for attending it.
    hours = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=0, max=1000))
    credits = fields.List(fields.Nested(CreditAmount), load_default=list)


class VersionData(Lenient):
    number = fields.Integer(required=True, validate=validate.Range(min=1))
    name = fields.String(required=True)
    released_at = utc_datetime(required=True)
    forced = fields.Boolean(load_default=False)
    comment = fields.String(load_default="")


class ChangelogData(Lenient):
    """The guids of the sessions in each kind of change (one session can be
    both moved and re-roomed)."""

    added = fields.List(fields.String(), load_default=list)
    moved = fields.List(fields.String(), load_default=list)
    re_roomed = fields.List(fields.String(), load_default=list)
    cancelled = fields.List(fields.String(), load_default=list)
    changed = fields.List(fields.String(), load_default=list)
    online = fields.List(fields.String(), load_default=list)


@register("schedule.released")
class ScheduleReleasedData(Lenient):
    """A new released version of an event's schedule, with the full data of
    every session that changed since the previous one: consumers never call
    back. The first release lists every session as added."""

    event_id = fields.String(required=True)
    slug = fields.String(required=True)
    timezone = fields.String(required=True, validate=validate_timezone)
    version = fields.Nested(VersionData, required=True)
    previous_version = fields.Integer(load_default=None, allow_none=True)
    changelog = fields.Nested(ChangelogData, required=True)
    sessions = fields.List(fields.Nested(SessionData), required=True)
    schedule_url = fields.String(load_default=None, allow_none=True)
    feed_url = fields.String(load_default=None, allow_none=True)


# --- organisation.member_invited ------------------------------------------------

MEMBER_ROLES = ("owner", "organiser", "checkin")


class OrganisationRef(Lenient):
    organisation_id = fields.String(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


class Inviter(Lenient):
    name = fields.String(required=True)
    email = fields.String(required=True)


@register("organisation.member_invited")
class MemberInvitedData(Lenient):
    """Someone was invited to join an organisation with a role. `accept_url`
    is secret: whoever holds it can join, so it goes to `email` and nowhere
    else; it works once, until `expires_at`."""

    invitation_id = fields.String(required=True)
    organisation = fields.Nested(OrganisationRef, required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(MEMBER_ROLES))
    invited_by = fields.Nested(Inviter, required=True)
    accept_url = fields.String(required=True)
    expires_at = utc_datetime(required=True)
    locale = fields.String(load_default="it", validate=validate.OneOf(LOCALES))
