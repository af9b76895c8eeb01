"""The programme's tables: rooms, tracks, session types, speakers, sessions
(talks, workshops and breaks) and released schedule versions.

Organisers edit the rows (the work-in-progress schedule); a release freezes
them into a `ScheduleVersion` snapshot, which is all the public ever reads."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import UTCDateTime, utcnow
from shared.errors import Conflict

from .base import Base, new_id
from .credits import AMOUNT, SessionCredit
from .online import OnlineRoomColumns

SESSION_KINDS = ("session", "break")
LANGUAGES = ("it", "en")


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Track(Base):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("event_id", "name_it"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    name_it: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    colour: Mapped[str] = mapped_column(String(7), default="#336699")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SessionType(Base):
    __tablename__ = "session_types"
    __table_args__ = (UniqueConstraint("event_id", "name_it"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    name_it: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Speaker(Base):
    __tablename__ = "speakers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    bio_it: Mapped[str] = mapped_column(Text, default="")
    bio_en: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))  # private: never released or published
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SessionSpeaker(Base):
    __tablename__ = "session_speakers"

    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id"), primary_key=True)
    speaker_id: Mapped[str] = mapped_column(ForeignKey("speakers.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProgrammeSession(OnlineRoomColumns, Base):
    """A talk, workshop or break in the work-in-progress schedule. `id` is the
    positive integer that frab/c3voc want, `guid` the identifier that never
    changes (feed UIDs, export guids). Deleting one only marks it cancelled:
    a released session must come back as STATUS:CANCELLED. A NULL
    `delivery_mode` and no room of its own mean: as the event; NULL `hours`
    (of training it certifies) mean: its duration."""

    __tablename__ = "programme_sessions"
    __table_args__ = (Index("ix_programme_sessions_event_start", "event_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    kind: Mapped[str] = mapped_column(String(10), default="session")
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | cancelled
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    abstract_it: Mapped[str] = mapped_column(Text, default="")
    abstract_en: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="it")
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id"))
    track_id: Mapped[str | None] = mapped_column(ForeignKey("tracks.id"))
    type_id: Mapped[str | None] = mapped_column(ForeignKey("session_types.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    requires_signup: Mapped[bool] = mapped_column(Boolean, default=False)
    seat_limit: Mapped[int | None] = mapped_column(Integer)
    delivery_mode: Mapped[str | None] = mapped_column(String(10))
    hours: Mapped[float | None] = mapped_column(AMOUNT)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # as last released (RFC 5545 SEQUENCE)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    speaker_links: Mapped[list[SessionSpeaker]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by=SessionSpeaker.position
    )
    credits: Mapped[list[SessionCredit]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def speaker_ids(self) -> list[str]:
        return [link.speaker_id for link in self.speaker_links]

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def cancel(self) -> None:
        if not self.is_active:
            raise Conflict("the session is already cancelled", field="id")
        self.status = "cancelled"
        self.updated_at = utcnow()


class ScheduleVersion(Base):
    """A released schedule: a named, numbered snapshot (JSON) of every
    released session, with the changelog against the version before."""

    __tablename__ = "schedule_versions"
    __table_args__ = (UniqueConstraint("event_id", "number"), UniqueConstraint("event_id", "name"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(Text, default="")
    released_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    released_by: Mapped[str | None] = mapped_column(String(36))
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    changelog: Mapped[str] = mapped_column(Text)  # JSON
    snapshot: Mapped[str] = mapped_column(Text)  # JSON, see programme/versions.py
    # JSON {guid: online room} of the released sessions with a room of their
    # own: confidential, so kept out of the snapshot the public reads.
    online_rooms: Mapped[str | None] = mapped_column(Text)
