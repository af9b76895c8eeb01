"""Events and the organisations that run them. State transitions (publish,
cancel, touch) are model methods."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import UTCDateTime, utcnow
from shared.errors import Conflict

from .base import Base, new_id
from .credits import EventCredit
from .online import OnlineRoomColumns


class EventOrganisation(Base):
    __tablename__ = "event_organisations"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)


class Event(OnlineRoomColumns, Base):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_it: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Rome")
    venue: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery_mode: Mapped[str] = mapped_column(String(10), default="in_person", server_default="in_person")
    join_link_lead_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    organisations: Mapped[list[EventOrganisation]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    credits: Mapped[list[EventCredit]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def organisation_ids(self) -> list[str]:
        return [link.organisation_id for link in self.organisations]

    def touch(self) -> None:
        self.revision = (self.revision or 1) + 1
        self.updated_at = utcnow()

    def publish(self) -> None:
        if self.status == "cancelled":
            raise Conflict("a cancelled event cannot be published", field="status")
        if self.status == "published":
            raise Conflict("the event is already published", field="status")
        self.status = "published"
        self.touch()

    def cancel(self) -> None:
        if self.status == "cancelled":
            raise Conflict("the event is already cancelled", field="status")
        self.status = "cancelled"
        self.touch()
