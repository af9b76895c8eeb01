"""Extra secret links of a registration (issued by "send me my link again" and
by offers) and check-ins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base


class RegistrationLink(Base):
    __tablename__ = "registration_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # resend | offer
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CheckIn(Base):
    """One presence: `scope` is `day:YYYY-MM-DD` (event time zone) or `session:<id>`."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("registration_id", "scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    checked_in_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    checked_in_by: Mapped[str] = mapped_column(String(64), default="")
