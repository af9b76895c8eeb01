"""Work that waits: schedule changes gathered into digests, and the
reminders already sent (so each goes out once)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow
from shared.messaging.store import BIGINT

from .base import Base


class DigestEntry(Base):
    """One changed item (the event, or a session) for one participant,
    waiting until `due_at`. Several changes to the same item within the
    window merge into one entry: the kinds are united, the first previous
    placement is kept."""

    __tablename__ = "digest_entries"
    __table_args__ = (UniqueConstraint("registration_id", "item_key"), Index("ix_digest_entries_due_at", "due_at"))

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    registration_id: Mapped[str] = mapped_column(String(36), index=True)
    item_kind: Mapped[str] = mapped_column(String(10))  # event | session
    item_key: Mapped[str] = mapped_column(String(64))  # event id or session guid
    changes: Mapped[list] = mapped_column(JSON, default=list)
    previous: Mapped[dict | None] = mapped_column(JSON)  # {"starts_at", "ends_at", "room"} as first seen
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    def merge(self, changes: list[str], previous: dict | None) -> None:
        self.changes = sorted(set(self.changes or []) | set(changes))
        if self.previous is None and previous is not None:
            self.previous = previous


class ReminderSent(Base):
    """A reminder already queued: for the event (`item_key` = event id) or a
    workshop (its guid). The primary key makes it once only."""

    __tablename__ = "reminders_sent"

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StartsSoonSent(Base):
    """A "starts soon" mail (with the join link) already queued for an online
    or hybrid event (`item_key` = event id) or workshop (its guid): once per
    person and item, whatever the restarts and replicas."""

    __tablename__ = "starts_soon_sent"

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
