"""An event's satisfaction survey: its questions, who was invited (and
whether they answered), and the answers. In the anonymous mode the answers
table holds nothing that leads back to a registration: no registration id,
no foreign key, no time of answering, a random id; the invitation keeps only
the flag "answered"."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base

SURVEY_KINDS = ("likert", "single", "multiple", "text")
LIKERT = (1, 2, 3, 4, 5)


class Survey(Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), unique=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # None: when the event ends
    open_days: Mapped[int] = mapped_column(Integer, default=14)  # it closes this many days after opening
    reminder_days: Mapped[int] = mapped_column(Integer, default=7)  # the one reminder, after the invitation
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("survey_id", "key", name="uq_survey_questions_survey_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))  # SURVEY_KINDS
    text_it: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str | None] = mapped_column(String(500))
    options: Mapped[list] = mapped_column(JSON, default=list)  # [{"key", "it", "en"}] for single and multiple
    required: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyInvitation(Base):
    """One per registration invited. The link is derived from the registration
    id with the service's secret (the reminder repeats it); only its SHA-256 is stored."""

    __tablename__ = "survey_invitations"

    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    answered: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyResponse(Base):
    """One set of answers. No foreign keys on purpose (see the module):
    `registration_id` and `submitted_at` are null when the survey is anonymous."""

    __tablename__ = "survey_responses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    survey_id: Mapped[int] = mapped_column(Integer, index=True)
    registration_id: Mapped[str | None] = mapped_column(String(36), index=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question key -> int | str | list[str]
