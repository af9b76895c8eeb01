"""Scheduling's tables. State transitions are model methods."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.db import UTCDateTime, utcnow
from shared.errors import Conflict
from shared.messaging import InboxMixin, OutboxMixin


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class Inbox(InboxMixin, Base):
    pass


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Account(Base):
    """An organiser's login."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    memberships: Mapped[list[Membership]] = relationship(back_populates="account", lazy="selectin")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("account_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(20))  # owner | organiser | checkin
    account: Mapped[Account] = relationship(back_populates="memberships")


class EventOrganisation(Base):
    __tablename__ = "event_organisations"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)


class Event(Base):
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
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    organisations: Mapped[list[EventOrganisation]] = relationship(lazy="selectin", cascade="all, delete-orphan")

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
