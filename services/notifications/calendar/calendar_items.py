"""The invitations' content, from notifications' copies: one event or one
workshop session, for one attendee. UIDs are per person and item, in their
own namespaces (`registration-…`, `workshop-…`), never the feeds' UIDs.
Each item is gathered here in full (what, when, where, who, how to join) and
handed to invitations.build_invitation once. The join details go into a
REQUEST only: a CANCEL takes the item away and never carries the link."""

from __future__ import annotations

import datetime as dt

from shared.db import utcnow

from ..config import NotifyConfig
from ..mail.mail_context import localized
from ..models import EventCopy, Invitation, SessionCopy, WorkshopSeat
from ..online_rooms import JoinDetails
from .conference import conference_links, description_with_room, location_with_room
from .invitations import InviteData, build_invitation


def event_invitation_uid(registration_id: str, config: NotifyConfig) -> str:
    return f"registration-{registration_id}@{config.host}"


def workshop_invitation_uid(registration_id: str, guid: str, config: NotifyConfig) -> str:
    return f"workshop-{registration_id}-{guid}@{config.host}"


def stamp() -> dt.datetime:
    return utcnow().replace(microsecond=0)


def event_calendar(
    config: NotifyConfig,
    invitation: Invitation,
    event: dict,
    participant: dict,
    method: str,
    join: JoinDetails | None = None,
) -> bytes:
    """`event` is an EventSummary-shaped dict (registration data or
    EventCopy.as_summary()); `join` for a confirmed person of an online or
    hybrid event (online_rooms.for_event)."""
    language = participant.get("locale") or "it"
    content = {
        "summary": localized(event["title"], language),
        "starts_at": event["starts_at"],
        "ends_at": event["ends_at"],
        "location": event.get("venue") or "",
        "description": event.get("url") or "",
        "url": event.get("url"),
    }
    return _itip_message(config, invitation, participant, method, _with_room(content, join, method, language))


def session_calendar(
    config: NotifyConfig,
    seat: WorkshopSeat,
    workshop: SessionCopy,
    event: EventCopy | dict,
    participant: dict,
    method: str,
    join: JoinDetails | None = None,
) -> bytes:
    language = participant.get("locale") or "it"
    event_title = event.title(language) if isinstance(event, EventCopy) else localized(event["title"], language)
    venue = event.venue if isinstance(event, EventCopy) else event.get("venue") or ""
    content = {
        "summary": workshop.title(language),
        "starts_at": workshop.starts_at,
        "ends_at": workshop.ends_at,
        "location": ", ".join(part for part in (workshop.room, venue) if part),
        "description": event_title,
        "url": workshop.url,
    }
    return _itip_message(config, seat, participant, method, _with_room(content, join, method, language))


def _with_room(content: dict, join: JoinDetails | None, method: str, language: str) -> dict:
    if join is None or method != "REQUEST":
        return content
    return {
        **content,
        "location": location_with_room(join, content["location"]),
        "description": description_with_room(join, content["description"], language),
        "conferences": conference_links(join, language),
    }


def _itip_message(
    config: NotifyConfig, held: Invitation | WorkshopSeat, participant: dict, method: str, content: dict
) -> bytes:
    """The item's content, its UID and SEQUENCE, organiser and attendee: one iTIP message."""
    people = {
        "organizer_email": config.settings.organizer_email,
        "organizer_name": config.organizer_name,
        "attendee_email": participant["email"],
        "attendee_name": f"{participant.get('first_name', '')} {participant.get('last_name', '')}".strip(),
    }
    return build_invitation(
        InviteData(uid=held.uid, sequence=held.sequence, **content, **people, stamp=stamp()), method
    )
