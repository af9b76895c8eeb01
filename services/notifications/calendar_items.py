"""The invitations' content, from notifications' copies: one event or one
workshop session, for one attendee. UIDs are per person and item, in their
own namespaces (`registration-…`, `workshop-…`), never the feeds' UIDs."""

from __future__ import annotations

import datetime as dt

from shared.db import utcnow

from .config import NotifyConfig
from .invitations import InviteData, build_invitation
from .mail_context import localized
from .models import EventCopy, Invitation, SessionCopy, WorkshopSeat


def event_invitation_uid(registration_id: str, config: NotifyConfig) -> str:
    return f"registration-{registration_id}@{config.host}"


def workshop_invitation_uid(registration_id: str, guid: str, config: NotifyConfig) -> str:
    return f"workshop-{registration_id}-{guid}@{config.host}"


def stamp() -> dt.datetime:
    return utcnow().replace(microsecond=0)


def event_calendar(config: NotifyConfig, invitation: Invitation, event: dict, participant: dict, method: str) -> bytes:
    """`event` is an EventSummary-shaped dict (registration data or EventCopy.as_summary())."""
    language = participant.get("locale") or "it"
    return build_invitation(
        InviteData(
            uid=invitation.uid,
            sequence=invitation.sequence,
            summary=localized(event["title"], language),
            starts_at=event["starts_at"],
            ends_at=event["ends_at"],
            location=event.get("venue") or "",
            description=event.get("url") or "",
            url=event.get("url"),
            **_people(config, participant),
            stamp=stamp(),
        ),
        method,
    )


def session_calendar(
    config: NotifyConfig,
    seat: WorkshopSeat,
    workshop: SessionCopy,
    event: EventCopy | dict,
    participant: dict,
    method: str,
) -> bytes:
    language = participant.get("locale") or "it"
    event_title = event.title(language) if isinstance(event, EventCopy) else localized(event["title"], language)
    venue = event.venue if isinstance(event, EventCopy) else event.get("venue") or ""
    location = ", ".join(part for part in (workshop.room, venue) if part)
    return build_invitation(
        InviteData(
            uid=seat.uid,
            sequence=seat.sequence,
            summary=workshop.title(language),
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            location=location,
            description=event_title,
            url=workshop.url,
            **_people(config, participant),
            stamp=stamp(),
        ),
        method,
    )


def _people(config: NotifyConfig, participant: dict) -> dict:
    return {
        "organizer_email": config.settings.organizer_email,
        "organizer_name": config.organizer_name,
        "attendee_email": participant["email"],
        "attendee_name": f"{participant.get('first_name', '')} {participant.get('last_name', '')}".strip(),
    }


def event_facts(event: EventCopy | dict) -> dict:
    return event.as_summary() if isinstance(event, EventCopy) else event
