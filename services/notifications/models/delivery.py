"""The delivery log: every e-mail, written in the transaction that decided
to send it and sent by the worker's sender loop."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow
from shared.messaging.store import BIGINT

from .base import Base

DELIVERY_STATES = ("pending", "sent", "failed")
ERASED_ADDRESS = "erased@erased.invalid"


class Delivery(Base):
    """One e-mail: its Message-ID, recipient, status and exact bytes."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_event_id_status", "event_id", "status"),)

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
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # erasure asked for

    @property
    def final(self) -> bool:
        return self.status != "pending"

    def erase(self, now: dt.datetime) -> None:
        """Personal data goes now if the mail is done with, else once it is
        (the sender calls scrub() after the last attempt)."""
        self.erased_at = self.erased_at or now
        if self.final:
            self.scrub()

    def scrub(self) -> None:
        self.recipient, self.subject, self.raw = ERASED_ADDRESS, "(erased)", b""
        if self.last_error:
            self.last_error = self.last_error.split(" ", 1)[0] + " (details erased)"
