"""Attendance imported from webinar platforms' reports: one import per file
and target (a programme session or an event day), and the online presences
a confirmed import recorded, interval by interval, for attendance.py."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base

IMPORT_STATES = ("preview", "confirmed", "replaced")


class AttendanceImport(Base):
    """`preview` holds the parsed people (names, addresses, intervals) until
    the organiser confirms; `confirmed` keeps only the counts and the file's
    hash (a second upload of the same file changes nothing); `replaced` is an
    earlier confirmed import of the same target superseded by a corrected report."""

    __tablename__ = "attendance_imports"
    __table_args__ = (Index("ix_attendance_imports_target", "event_id", "scope", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"))
    scope: Mapped[str] = mapped_column(String(40))  # session:<id> | day:YYYY-MM-DD
    status: Mapped[str] = mapped_column(String(12))
    report_format: Mapped[str] = mapped_column(String(12))
    filename: Mapped[str] = mapped_column(String(200), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    people: Mapped[list] = mapped_column(JSON, default=list)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class OnlinePresence(Base):
    """A span a registration was connected, already merged and clipped to its scope."""

    __tablename__ = "online_presences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("attendance_imports.id"), index=True)
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
