"""The sessions of an event's released schedule (from `schedule.released`) and
the workshop sign-ups of registrations for those that require one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base


class ProgrammeSession(Base):
    __tablename__ = "programme_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # scheduling's id
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    guid: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))  # session | break
    status: Mapped[str] = mapped_column(String(20))  # confirmed | cancelled
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    room: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    requires_signup: Mapped[bool] = mapped_column(Boolean, default=False)
    seat_limit: Mapped[int | None] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    release: Mapped[int] = mapped_column(Integer, default=0)  # the schedule version that last set it
    # None: as the event (schedule.released); `online` is the session's own confidential room.
    delivery_mode: Mapped[str | None] = mapped_column(String(10))
    online: Mapped[dict | None] = mapped_column(JSON)
    # Certified hours (None: its duration) and credits for attending it (schedule.released).
    hours: Mapped[float | None] = mapped_column(Float)
    credits: Mapped[list | None] = mapped_column(JSON)

    @property
    def is_workshop(self) -> bool:
        return self.requires_signup and self.kind == "session"

    def overlaps(self, other: ProgrammeSession) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class WorkshopSignup(Base):
    """`requested` until the registration holds a confirmed seat in the event;
    then `confirmed` or `waitlisted` for the workshop's own seats."""

    __tablename__ = "workshop_signups"
    __table_args__ = (
        UniqueConstraint("registration_id", "session_id"),
        Index("ix_workshop_signups_queue", "session_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id"))
    status: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def move(self, status: str, now: dt.datetime | None = None) -> str:
        previous = self.status
        self.status = status
        self.revision += 1
        self.updated_at = now or utcnow()
        return previous
