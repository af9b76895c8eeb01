"""A message organisers wrote to a group of an event's participants, kept so
the page can show what was sent, to whom and when (and so the hourly cap per
event can be counted). The mails themselves are notifications'."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base

AUDIENCES = ("confirmed", "waitlisted", "pending", "category", "workshop")


class ParticipantMessage(Base):
    __tablename__ = "participant_messages"
    __table_args__ = (Index("ix_participant_messages_event_sent", "event_id", "sent_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the message_id of participant.messaged
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"))
    audience: Mapped[str] = mapped_column(String(20))  # one of AUDIENCES
    audience_key: Mapped[str | None] = mapped_column(String(64))  # the category's code, the workshop's session id
    subject_it: Mapped[str] = mapped_column(String(200))
    subject_en: Mapped[str | None] = mapped_column(String(200))
    body_it: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(Integer)
    sent_by: Mapped[str] = mapped_column(String(64), default="")
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
