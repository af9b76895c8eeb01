"""An event's final test: questions with single or multiple choice options
(the right ones marked), a pass mark, the attempts allowed and an opening
window; and each participant's attempts with their answers and score."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import UTCDateTime, utcnow

from .base import Base

QUESTION_KINDS = ("single", "multiple")


class FinalTest(Base):
    __tablename__ = "final_tests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), unique=True)
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    pass_percent: Mapped[int] = mapped_column(Integer)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    questions: Mapped[list[FinalTestQuestion]] = relationship(
        order_by="FinalTestQuestion.position", lazy="selectin", cascade="all, delete-orphan"
    )

    def is_open(self, now: dt.datetime) -> bool:
        return (self.opens_at is None or self.opens_at <= now) and (self.closes_at is None or now < self.closes_at)


class FinalTestQuestion(Base):
    __tablename__ = "final_test_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("final_tests.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # single | multiple
    text_it: Mapped[str] = mapped_column(String(2000))
    text_en: Mapped[str | None] = mapped_column(String(2000))
    options: Mapped[list[FinalTestOption]] = relationship(
        order_by="FinalTestOption.position", lazy="selectin", cascade="all, delete-orphan"
    )

    def right_ids(self) -> set[int]:
        return {option.id for option in self.options if option.correct}


class FinalTestOption(Base):
    __tablename__ = "final_test_options"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("final_test_questions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text_it: Mapped[str] = mapped_column(String(1000))
    text_en: Mapped[str | None] = mapped_column(String(1000))
    correct: Mapped[bool] = mapped_column(Boolean, default=False)


class FinalTestAttempt(Base):
    """One submitted attempt: `answers` maps a question id (as text) to the option ids chosen."""

    __tablename__ = "final_test_attempts"
    __table_args__ = (UniqueConstraint("test_id", "registration_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("final_tests.id"))
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[float] = mapped_column(Float)  # percent of questions fully right
    passed: Mapped[bool] = mapped_column(Boolean)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
