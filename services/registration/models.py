"""Registration's tables. Registration state transitions are model methods."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UTCDateTime, utcnow
from shared.errors import Conflict
from shared.messaging import InboxMixin, OutboxMixin


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class Inbox(InboxMixin, Base):
    pass


class Listing(Base):
    """Registration's own copy of an event, from `event.*` messages, with the
    seat counter the capacity guard updates."""

    __tablename__ = "listings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the event id
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))  # published | cancelled
    capacity: Mapped[int | None] = mapped_column(Integer)
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer)

    def is_open(self, now: dt.datetime) -> bool:
        return (self.status == "published" and (self.opens_at is None or self.opens_at <= now)
                and (self.closes_at is None or now < self.closes_at) and now < self.ends_at)

    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed_count, 0)


# Which state may follow which (issue: pending, offered, rejected, expired come with approval and offers).
TRANSITIONS = {
    "confirmed": {"cancelled"},
    "waitlisted": {"confirmed", "cancelled"},
    "cancelled": set(),
}


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (Index("ix_registrations_queue", "event_id", "status", "queued_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(320), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(5), default="it")
    status: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)  # FIFO order
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def _move(self, new_status: str) -> str:
        previous = self.status
        if new_status not in TRANSITIONS.get(previous, set()):
            raise Conflict(f"a {previous} registration cannot become {new_status}", field="status")
        self.status = new_status
        self.revision += 1
        self.updated_at = utcnow()
        return previous

    def confirm(self) -> str:
        return self._move("confirmed")

    def cancel(self) -> str:
        return self._move("cancelled")
