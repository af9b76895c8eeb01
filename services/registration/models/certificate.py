"""Certificates of attendance: the rules an event certifies by, every
certificate issued (a correction is a new row that supersedes the earlier),
and the organisers' decisions to issue or revoke by hand, kept with who,
when and why."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base

ISSUERS = ("rules", "organiser")
DECISIONS = ("issue", "revoke")


class CertificateRules(Base):
    """What an event asks besides the share of hours (Listing.attendance_threshold):
    sessions that must be attended and a passed final test. `closed_at` stamps
    the evaluation the worker makes when the event ends."""

    __tablename__ = "certificate_rules"

    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), primary_key=True)
    mandatory_session_ids: Mapped[list] = mapped_column(JSON, default=list)
    final_test_required: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class Certificate(Base):
    """One issue of a certificate. Live while neither revoked nor superseded."""

    __tablename__ = "certificates"
    __table_args__ = (Index("ix_certificates_registration", "registration_id", "issued_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"))
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    issued_by: Mapped[str] = mapped_column(String(10))  # rules | organiser
    reason: Mapped[str] = mapped_column(String(1000), default="")
    minutes_attended: Mapped[int] = mapped_column(Integer)
    hours_total: Mapped[float] = mapped_column(Float)
    credits: Mapped[list] = mapped_column(JSON, default=list)
    final_test_score: Mapped[float | None] = mapped_column(Float)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    superseded_by: Mapped[str | None] = mapped_column(String(36))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_cause: Mapped[str | None] = mapped_column(String(10))  # organiser | erasure | rules
    revoked_reason: Mapped[str] = mapped_column(String(1000), default="")

    @property
    def live(self) -> bool:
        return self.revoked_at is None and self.superseded_by is None

    def facts(self) -> tuple:
        """What a correction would change: a certificate is reissued only when these differ."""
        return (self.minutes_attended, self.hours_total, self.credits, self.final_test_score)


class CertificateDecision(Base):
    """An organiser's issue or revoke by hand. The latest one per registration
    overrides the rules: after it, the rules leave that registration alone."""

    __tablename__ = "certificate_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(10))  # issue | revoke
    reason: Mapped[str] = mapped_column(String(1000))
    certificate_id: Mapped[str | None] = mapped_column(String(36))
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
