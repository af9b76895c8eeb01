"""Scheduling's tables, one module per aggregate: accounts and organisations,
events, and the programme (its rooms, tracks, speakers, sessions and released
versions). State transitions are model methods."""

from .accounts import Account, Membership, Organisation
from .base import Base, Inbox, Outbox, new_id
from .events import Event, EventOrganisation
from .programme import (
    LANGUAGES,
    SESSION_KINDS,
    ProgrammeSession,
    Room,
    ScheduleVersion,
    SessionSpeaker,
    SessionType,
    Speaker,
    Track,
)

__all__ = [
    "LANGUAGES",
    "SESSION_KINDS",
    "Account",
    "Base",
    "Event",
    "EventOrganisation",
    "Inbox",
    "Membership",
    "Organisation",
    "Outbox",
    "ProgrammeSession",
    "Room",
    "ScheduleVersion",
    "SessionSpeaker",
    "SessionType",
    "Speaker",
    "Track",
    "new_id",
]
