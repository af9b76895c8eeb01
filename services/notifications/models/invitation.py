"""Calendar invitations a participant holds: one for the event (per
registration) and one per workshop seat. The UID never changes; SEQUENCE
rises with every update or cancellation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base


class InvitationState:
    """REQUEST/CANCEL bookkeeping shared by both kinds of invitation."""

    sequence: int
    state: str  # none | requested | cancelled
    updated_at: dt.datetime

    @property
    def requested(self) -> bool:
        return self.state == "requested"

    def request(self) -> None:
        """A new REQUEST: the first is SEQUENCE 0; a re-invitation after a
        cancellation must be higher than the CANCEL."""
        if self.state == "cancelled":
            self.sequence += 1
        self.state = "requested"
        self.updated_at = utcnow()

    def update(self) -> bool:
        """A REQUEST with a higher SEQUENCE (new time or room); False when
        there is no live invitation to update."""
        if self.state != "requested":
            return False
        self.sequence += 1
        self.updated_at = utcnow()
        return True

    def cancel(self) -> bool:
        if self.state != "requested":
            return False
        self.sequence += 1
        self.state = "cancelled"
        self.updated_at = utcnow()
        return True


class Invitation(InvitationState, Base):
    """The invitation one registration holds for its event."""

    __tablename__ = "invitations"

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20))  # none | requested | cancelled
    registration_revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WorkshopSeat(InvitationState, Base):
    """A participant's sign-up for one workshop session and the invitation
    that follows it: REQUEST while the seat is confirmed, CANCEL when lost."""

    __tablename__ = "workshop_seats"
    __table_args__ = (Index("ix_workshop_seats_session_guid", "session_guid"),)

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_guid: Mapped[str] = mapped_column(String(64), primary_key=True)
    signup_id: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20))  # requested | confirmed | waitlisted | cancelled
    revision: Mapped[int] = mapped_column(Integer, default=0)
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), default="none")
    # held when its session was cancelled: the feed shows it as CANCELLED until it is over
    kept_until_over: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
