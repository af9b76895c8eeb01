"""Training credits: the kinds an organisation grants (e.g. "Crediti formativi
revisori", unit "CFP") and the amounts its events and sessions grant of them.
An amount row exists only for a credit actually granted; a session's hours
live on the session itself (NULL: its duration)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import UTCDateTime, utcnow

from .base import Base, new_id

# Amounts and hours are kept exact to the hundredth (1.5 CFP, 0.75 hours) and
# read back as floats, which is what the event contract carries.
AMOUNT = Numeric(9, 2, asdecimal=False)


class CreditType(Base):
    __tablename__ = "credit_types"
    __table_args__ = (UniqueConstraint("organisation_id", "name_it"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name_it: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class EventCredit(Base):
    """Credits granted for the whole event."""

    __tablename__ = "event_credits"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    credit_type_id: Mapped[str] = mapped_column(ForeignKey("credit_types.id"), primary_key=True, index=True)
    amount: Mapped[float] = mapped_column(AMOUNT)
    credit_type: Mapped[CreditType] = relationship(lazy="joined")


class SessionCredit(Base):
    """Credits granted for attending one session."""

    __tablename__ = "session_credits"

    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id"), primary_key=True)
    credit_type_id: Mapped[str] = mapped_column(ForeignKey("credit_types.id"), primary_key=True, index=True)
    amount: Mapped[float] = mapped_column(AMOUNT)
    credit_type: Mapped[CreditType] = relationship(lazy="joined")
