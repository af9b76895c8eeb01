"""Notifications' tables: the delivery log (a mail outbox) and invitations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UTCDateTime, utcnow
from shared.messaging import InboxMixin, OutboxMixin
from shared.messaging.store import BIGINT


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class Inbox(InboxMixin, Base):
    pass


class Delivery(Base):
    """Every e-mail, written in the handler's transaction and sent by the
    worker's sender loop: its status is the delivery log."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)  # the Message-ID header
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(60))
    registration_id: Mapped[str | None] = mapped_column(String(36), index=True)
    event_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Invitation(Base):
    """The calendar invitation one registration holds for its event: the UID
    never changes, SEQUENCE rises with every update or cancellation."""

    __tablename__ = "invitations"

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20))  # none | requested | cancelled
    registration_revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def request(self) -> None:
        """A new REQUEST: the first is SEQUENCE 0; a re-invitation after a
        cancellation must be higher than the CANCEL."""
        if self.state == "cancelled":
            self.sequence += 1
        self.state = "requested"
        self.updated_at = utcnow()

    def cancel(self) -> bool:
        if self.state != "requested":
            return False
        self.sequence += 1
        self.state = "cancelled"
        self.updated_at = utcnow()
        return True
