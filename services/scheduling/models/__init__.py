"""Scheduling's tables, one module per aggregate: accounts and organisations,
invitations and the organisations' audit log, credit types, events, and the programme
(its rooms, tracks, speakers, sessions and released versions). State
transitions are model methods."""

from .accounts import Account, Membership, Organisation
from .base import Base, Inbox, Outbox, new_id
from .credits import CreditType, EventCredit, SessionCredit
from .events import Event, EventOrganisation
from .members import ROLES, AuditEntry, Invitation, InvitationExpired
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
    "ROLES",
    "SESSION_KINDS",
    "Account",
    "AuditEntry",
    "Base",
    "CreditType",
    "Event",
    "EventCredit",
    "EventOrganisation",
    "Inbox",
    "Invitation",
    "InvitationExpired",
    "Membership",
    "Organisation",
    "Outbox",
    "ProgrammeSession",
    "Room",
    "ScheduleVersion",
    "SessionCredit",
    "SessionSpeaker",
    "SessionType",
    "Speaker",
    "Track",
    "new_id",
]
