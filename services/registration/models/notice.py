"""An event's own privacy notice, one row per version. A published version
never changes: a new text is a new row with a higher number, so a stored
consent ("version 3") always names the words the person read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base


class PrivacyNotice(Base):
    __tablename__ = "privacy_notices"
    __table_args__ = (UniqueConstraint("event_id", "version", name="uq_privacy_notices_event_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"))
    version: Mapped[int] = mapped_column(Integer)
    text_it: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by: Mapped[str] = mapped_column(String(64), default="")
