"""Notifications' reactions to events on the bus: every type catalogued in
shared/events (registration.*, workshop.*, attendance.certified,
participant.erased, participant.messaged, event.*,
schedule.released, organisation.member_invited), each a one-line call into its use case with
the worker's NotifyConfig."""

from __future__ import annotations

from shared.events.registration import REGISTRATION_STATES

from .. import (
    certificates,
    erasure,
    member_invitations,
    participant_messages,
    record_mails,
    registrations,
    schedule_changes,
    survey_mails,
    workshop_invitations,
)
from ..config import NotifyConfig
from ..webhooks import fan_out

WORKSHOP_STATES = ("confirmed", "waitlisted", "cancelled")


def build_handlers(config: NotifyConfig) -> dict:
    def on_registration(session, data, envelope=None):
        registrations.registration_changed(session, data, config)

    def on_details_changed(session, data, envelope=None):
        registrations.details_changed(session, data)

    def on_link_requested(session, data, envelope=None):
        registrations.link_requested(session, data, config)

    def on_join_link(session, data, envelope=None):
        registrations.join_link_changed(session, data, config)

    def on_workshop(session, data, envelope=None):
        workshop_invitations.workshop_changed(session, data, config)

    def on_event(session, data, envelope=None):
        schedule_changes.event_changed(session, data, config)

    def on_schedule_released(session, data, envelope=None):
        schedule_changes.schedule_released(session, data, config)

    def on_certified(session, data, envelope=None):
        certificates.attendance_certified(session, data, config)

    def on_revoked(session, data, envelope=None):
        certificates.certificate_revoked(session, data)

    def on_issued(session, data, envelope=None):
        pass  # our own announcement: the queue does not bind it, and a copy that reached us needs nothing

    def on_erased(session, data, envelope=None):
        erasure.participant_erased(session, data)

    def on_member_invited(session, data, envelope=None):
        member_invitations.member_invited(session, data, config)

    def on_survey_invited(session, data, envelope=None):
        survey_mails.survey_invited(session, data, config)

    def on_record_link(session, data, envelope=None):
        record_mails.record_link_requested(session, data, config)

    def on_messaged(session, data, envelope=None):
        participant_messages.participants_messaged(session, data, config)

    handlers = {f"registration.{state}": on_registration for state in REGISTRATION_STATES}
    handlers.update({f"workshop.{state}": on_workshop for state in WORKSHOP_STATES})
    handlers.update({f"event.{verb}": on_event for verb in ("published", "updated", "cancelled")})
    handlers.update(
        {
            "registration.updated": on_details_changed,
            "registration.link_requested": on_link_requested,
            "registration.join_link_changed": on_join_link,
            "schedule.released": on_schedule_released,
            "attendance.certified": on_certified,
            "certificate.revoked": on_revoked,
            "certificate.issued": on_issued,
            "participant.erased": on_erased,
            "organisation.member_invited": on_member_invited,
            "survey.invited": on_survey_invited,
            "record.link_requested": on_record_link,
            "participant.messaged": on_messaged,
        }
    )
    return {event_type: with_webhooks(handler) for event_type, handler in handlers.items()}


def with_webhooks(handler):
    def handle(session, data, envelope=None):
        handler(session, data, envelope)
        if envelope is not None:
            fan_out.queue_for_event(session, envelope)

    return handle
