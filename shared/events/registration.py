"""Events published by registration (version 1): registration.*, workshop.*,
attendance.certified and participant.erased. Changes within v1 are additive."""

from __future__ import annotations

from marshmallow import fields, validate

from .fields import (
    TEXT_LENGTH,
    CreditAmount,
    EventSummary,
    Lenient,
    LocalizedText,
    Participant,
    localized,
    utc_datetime,
)
from .registry import register

REGISTRATION_STATES = ("pending", "confirmed", "waitlisted", "offered", "cancelled", "rejected", "expired")
SIGNUP_STATES = ("requested", "confirmed", "waitlisted", "cancelled")
ERASURE_REASONS = ("request", "organiser", "retention")


class RegistrationParticipant(Participant):
    role = fields.String(load_default="")


class CategoryRef(Lenient):
    code = fields.String(required=True)
    label = fields.Nested(LocalizedText, required=True)


class RegistrationData(Lenient):
    """A registration after a transition. `manage_url` holds a secret link and
    is present only when a link was just issued (a new registration, an offer):
    treat it as private. `reason` is the organiser's reason for a rejection or
    cancellation; `offer_expires_at` is the deadline of an offer."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(REGISTRATION_STATES))
    previous_status = fields.String(load_default=None, allow_none=True)
    participant = fields.Nested(RegistrationParticipant, required=True)
    event = fields.Nested(EventSummary, required=True)
    waitlist_position = fields.Integer(load_default=None, allow_none=True)
    manage_url = fields.String(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)
    category = fields.Nested(CategoryRef, load_default=None, allow_none=True)
    offer_expires_at = utc_datetime(load_default=None, allow_none=True)


for _state in REGISTRATION_STATES:
    register(f"registration.{_state}")(RegistrationData)
# The participant changed their details or answers; `status` is unchanged
# (`previous_status` is null) and `revision` is higher, like after a move.
register("registration.updated")(RegistrationData)


@register("registration.link_requested")
class LinkRequestedData(Lenient):
    """Someone asked for the link of this registration again: a fresh secret
    link (`manage_url`) to send to the participant's address, and nowhere else."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(REGISTRATION_STATES))
    participant = fields.Nested(RegistrationParticipant, required=True)
    event = fields.Nested(EventSummary, required=True)
    manage_url = fields.String(required=True)


class WorkshopSession(Lenient):
    session_id = fields.Integer(required=True)
    guid = fields.String(required=True)
    title = fields.Nested(LocalizedText, required=True)
    starts_at = utc_datetime(required=True)
    ends_at = utc_datetime(required=True)
    room = fields.String(load_default=None, allow_none=True)
    url = fields.String(load_default=None, allow_none=True)
    status = fields.String(load_default="confirmed")


class WorkshopSignupData(Lenient):
    """A participant's seat in a workshop after a change. The session's times
    and room are enough for a calendar invitation."""

    signup_id = fields.Integer(required=True)
    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(SIGNUP_STATES))
    previous_status = fields.String(load_default=None, allow_none=True)
    participant = fields.Nested(RegistrationParticipant, required=True)
    event = fields.Nested(EventSummary, required=True)
    session = fields.Nested(WorkshopSession, required=True)
    waitlist_position = fields.Integer(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)


for _state in ("confirmed", "waitlisted", "cancelled"):
    register(f"workshop.{_state}")(WorkshopSignupData)


@register("attendance.certified")
class AttendanceCertifiedData(Lenient):
    """A participant crossed the event's attendance threshold: enough for a
    certificate of attendance (hours, percentage, organising organisations)."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    participant = fields.Nested(RegistrationParticipant, required=True)
    event = fields.Nested(EventSummary, required=True)
    event_type = fields.String(load_default="")
    minutes_attended = fields.Integer(required=True, validate=validate.Range(min=0))
    total_minutes = fields.Integer(required=True, validate=validate.Range(min=0))
    hours = fields.Float(required=True)
    percent = fields.Float(required=True)
    threshold_percent = fields.Integer(required=True)
    organisation_ids = fields.List(fields.String(), load_default=list)
    certified_at = utc_datetime(required=True)
    # The certificate this issues (a new id for each issue: a corrected one replaces the
    # earlier), the certified hours (session hours, not only minutes), the credits earned,
    # and whether the event's rules or an organiser issued it (then with the reason).
    certificate_id = fields.String(load_default=None, allow_none=True)
    hours_total = fields.Float(load_default=None, allow_none=True)
    credits = fields.List(fields.Nested(CreditAmount), load_default=list)
    final_test_score = fields.Float(load_default=None, allow_none=True)  # percent, when a test was required
    issued_by = fields.String(load_default="rules", validate=validate.OneOf(("rules", "organiser")))
    reason = fields.String(load_default="")


REVOCATION_CAUSES = ("organiser", "erasure", "rules")


@register("certificate.revoked")
class CertificateRevokedData(Lenient):
    """A certificate no longer holds: an organiser revoked it (with the reason),
    a corrected attendance took it below the rules, or the person's data was
    erased (then it verifies as "no longer available", not as forged)."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    certificate_id = fields.String(required=True)
    cause = fields.String(required=True, validate=validate.OneOf(REVOCATION_CAUSES))
    reason = fields.String(load_default="")
    revoked_at = utc_datetime(required=True)


@register("survey.invited")
class SurveyInvitedData(Lenient):
    """Ask a participant to answer the event's satisfaction survey (`reminder`:
    the one reminder to someone who has not answered). `survey_url` is a
    secret link, like `manage_url`."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    participant = fields.Nested(RegistrationParticipant, required=True)
    event = fields.Nested(EventSummary, required=True)
    survey_url = fields.String(required=True)
    closes_at = utc_datetime(load_default=None, allow_none=True)
    reminder = fields.Boolean(load_default=False)


@register("record.link_requested")
class RecordLinkRequestedData(Lenient):
    """Someone asked for their training record: a secret link to send to this
    address and nowhere else (published only for addresses that have registrations)."""

    email = fields.Email(required=True)
    locale = fields.String(load_default="it", validate=validate.OneOf(("it", "en")))
    first_name = fields.String(load_default="")
    record_url = fields.String(required=True)
    expires_at = utc_datetime(required=True)


@register("registration.join_link_changed")
class JoinLinkChangedData(Lenient):
    """The registration's own join link (imported from the webinar platform's
    registrant list) was set, changed or removed. Confidential like
    `manage_url`. `join_url` null: back to the event's shared link.
    `revision` rises with each change of this registration's link."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(REGISTRATION_STATES))
    participant = fields.Nested(RegistrationParticipant, required=True)
    event = fields.Nested(EventSummary, required=True)
    join_url = fields.String(load_default=None, allow_none=True)
    changed_at = utc_datetime(required=True)


@register("participant.erased")
class ParticipantErasedData(Lenient):
    """A registration's personal data was erased (on request, by an organiser,
    or at the end of the retention period). Erase what you hold about it:
    look it up by `registration_id`, or by `email` for records kept by
    address. Do not store this event."""

    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    email = fields.Email(load_default=None, allow_none=True)
    reason = fields.String(required=True, validate=validate.OneOf(ERASURE_REASONS))
    erased_at = utc_datetime(required=True)


class MessageRecipient(Lenient):
    registration_id = fields.String(required=True)
    participant = fields.Nested(RegistrationParticipant, required=True)


MESSAGE_BATCH = 500  # recipients per participant.messaged: a 10,000-person event is 20 messages
MessageBody = localized("MessageBody", Lenient, max_length=TEXT_LENGTH, required=True)


@register("participant.messaged")
class ParticipantMessagedData(Lenient):
    """Organisers wrote to a group of an event's participants (service mail,
    no unsubscribe). A message to more than MESSAGE_BATCH people travels as
    several events with the same `message_id`, `batch` counting from 1 to
    `batches`. `subject` and `body` are plain text; `en` is null when the
    organisers wrote only Italian (English readers then get the Italian)."""

    message_id = fields.String(required=True)
    event_id = fields.String(required=True)
    event = fields.Nested(EventSummary, required=True)
    audience = fields.String(required=True)
    subject = fields.Nested(LocalizedText, required=True)
    body = fields.Nested(MessageBody, required=True)
    batch = fields.Integer(required=True, validate=validate.Range(min=1))
    batches = fields.Integer(required=True, validate=validate.Range(min=1))
    recipients = fields.List(
        fields.Nested(MessageRecipient), required=True, validate=validate.Length(min=1, max=MESSAGE_BATCH)
    )
