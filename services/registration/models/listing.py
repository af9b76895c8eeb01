"""Registration's own copy of an event (from `event.*`), with the seat counter
the capacity guard updates and the registration policies organisers set here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime

from .base import Base

PROMOTION_MODES = ("confirm", "offer")


class RegistrationWindow:
    """When an event takes registrations and how many seats it has left: the
    rules both the mapped Listing and the lighter copy a registration reads
    at the seat gate (store.event_read.ListingAtGate) answer by."""

    status: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    ends_at: dt.datetime
    capacity: int | None
    confirmed_count: int

    def is_open(self, now: dt.datetime) -> bool:
        return (
            self.status == "published"
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
            and now < self.ends_at
        )

    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed_count, 0)


class Listing(RegistrationWindow, Base):
    __tablename__ = "listings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the event id
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))  # published | cancelled
    event_type: Mapped[str] = mapped_column(String(30), default="", server_default="")
    organisation_ids: Mapped[list] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Seats taken: confirmed, offered, and pending registrations that hold a seat.
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer)
    # Policies owned by registration (organisers set them through its API).
    promotion_mode: Mapped[str] = mapped_column(String(10), default="confirm", server_default="confirm")
    offer_hours: Mapped[int] = mapped_column(Integer, default=48, server_default="48")
    retention_days: Mapped[int] = mapped_column(Integer, default=365, server_default="365")
    attendance_threshold: Mapped[int | None] = mapped_column(Integer)  # percent; None: no certificates
    consent_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    privacy_policy_version: Mapped[str] = mapped_column(String(40), default="1", server_default="1")
    privacy_policy_url: Mapped[str | None] = mapped_column(String(500))
    form_revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # How it is held (from event.*): the online room is confidential, for confirmed participants only.
    delivery_mode: Mapped[str] = mapped_column(String(10), default="in_person", server_default="in_person")
    online: Mapped[dict | None] = mapped_column(JSON)
    join_link_lead_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # Credits for the whole event (CreditAmount dicts from event.*), earned with its certificate.
    credits: Mapped[list | None] = mapped_column(JSON)

    def retention_ends(self) -> dt.datetime:
        return self.ends_at + dt.timedelta(days=self.retention_days)
