"""What notifications knows about events, sessions and participants (its own
copies, from events on the bus), and the private agenda feeds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Float, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base

ACTIVE_STATES = ("pending", "confirmed", "waitlisted", "offered")
CERTIFICATE_STATES = ("valid", "superseded", "revoked", "erased")


class EventCopy(Base):
    """An event as the last `event.*` (or registration event) told it.
    `sequence` is the SEQUENCE of its VEVENT in agenda feeds."""

    __tablename__ = "event_copies"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slug: Mapped[str] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="published")
    type: Mapped[str] = mapped_column(String(30), default="")
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str | None] = mapped_column(String(500))
    organisation_ids: Mapped[list] = mapped_column(JSON, default=list)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # the revision of the last full event.* applied: a registration's summary
    # of the same revision carries no delivery mode, so it must not hide it
    details_revision: Mapped[int] = mapped_column(Integer, default=0)
    delivery_mode: Mapped[str] = mapped_column(String(20), default="in_person")
    online: Mapped[dict | None] = mapped_column(JSON)  # the confidential room: platform, join_url, ...
    join_link_lead_minutes: Mapped[int] = mapped_column(Integer, default=60)

    def title(self, language: str) -> str:
        return (self.title_en if language == "en" and self.title_en else None) or self.title_it

    def as_summary(self) -> dict:
        """The shape of EventSummary in registration events, for templates."""
        return {
            "event_id": self.event_id,
            "slug": self.slug,
            "title": {"it": self.title_it, "en": self.title_en},
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "timezone": self.timezone,
            "venue": self.venue,
            "url": self.url,
            "revision": self.revision,
        }


class SessionCopy(Base):
    """A session as the last `schedule.released` (or workshop event) told it;
    `sequence` and `updated_at` are scheduling's SEQUENCE and DTSTAMP."""

    __tablename__ = "session_copies"

    guid: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    session_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default="session")  # session | break
    requires_signup: Mapped[bool] = mapped_column(Boolean, default=False)  # a workshop: seats of its own
    release: Mapped[int] = mapped_column(Integer, default=0)  # the schedule version it came from
    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    title_it: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    room: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivery_mode: Mapped[str | None] = mapped_column(String(20))  # None: as the event
    online: Mapped[dict | None] = mapped_column(JSON)  # None: the event's room

    def title(self, language: str) -> str:
        return (self.title_en if language == "en" and self.title_en else None) or self.title_it

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    def as_facts(self) -> dict:
        """What a mail says of the session (mail_context.session_view)."""
        return {
            "title": {"it": self.title_it, "en": self.title_en},
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "room": self.room,
        }


class Attendee(Base):
    """A registration as the last `registration.*` told it: whom to write to,
    in which language, and whether the person holds a seat."""

    __tablename__ = "attendees"

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    email: Mapped[str] = mapped_column(String(320), index=True)
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(5), default="it")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # the person's own join link from the platform's registrant list (None:
    # the event's shared link), and the revision of the news that set it
    join_url: Mapped[str | None] = mapped_column(String(2000))
    join_link_revision: Mapped[int] = mapped_column(Integer, default=0)
    # the List-Unsubscribe link of a reminder or digest was used: those stop (service mail does not)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed" and self.erased_at is None

    def as_participant(self) -> dict:
        return {"first_name": self.first_name, "last_name": self.last_name, "email": self.email, "locale": self.locale}


class Feed(Base):
    """A participant's private agenda feed. The token is the capability in
    the URL; rotating replaces it, revoking clears it. `etag` and
    `last_modified` remember the last body served, so Last-Modified only
    ever moves forward."""

    __tablename__ = "feeds"

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rotated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    etag: Mapped[str | None] = mapped_column(String(80))
    last_modified: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ManageLink(Base):
    """SHA-256 of a registration's secret manage link, as registration events
    carried it: it lets the registration page's link manage the feed too."""

    __tablename__ = "manage_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    registration_id: Mapped[str] = mapped_column(String(36), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Certificate(Base):
    """One issued certificate of attendance (a corrected one is a new row
    that supersedes the earlier): the signed PDF, the hash of its secret
    download token, and the few public facts the verification page shows.
    Erasure keeps the row, so the id verifies as "no longer available"
    rather than as unknown, and drops the PDF and the holder's name."""

    __tablename__ = "certificates"
    __table_args__ = (Index("ix_certificates_registration_id_status", "registration_id", "status"),)

    certificate_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    registration_id: Mapped[str] = mapped_column(String(36))
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20), default="valid")  # CERTIFICATE_STATES
    minutes_attended: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float)  # the hours certified (hours_total when given)
    credits: Mapped[list] = mapped_column(JSON, default=list)  # CreditAmount dicts
    holder: Mapped[str] = mapped_column(String(120), default="")  # "Anna B.": first name, surname initial
    event_title: Mapped[dict] = mapped_column(JSON, default=dict)  # {it, en} as certified
    event_starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    event_ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Rome")
    issued_by: Mapped[str] = mapped_column(String(20), default="rules")  # rules|organiser
    certified_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)  # issued (and mailed)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    download_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    self_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signer: Mapped[str] = mapped_column(String(300), default="")  # the signing certificate's subject
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_cause: Mapped[str | None] = mapped_column(String(20))  # organiser|rules|erasure|corrected

    def revoke(self, cause: str, when: dt.datetime) -> None:
        """Revoked (or superseded by a correction) once: the first date stays."""
        if self.status != "valid":
            return
        self.status = "superseded" if cause == "corrected" else "revoked"
        self.revoked_at, self.revoked_cause = when, cause

    def erase(self, when: dt.datetime) -> None:
        """No longer available: the PDF, its link and the holder go; the
        id, the event and the dates stay, so it never looks forged."""
        if self.status == "valid" or self.revoked_at is None:
            self.revoked_at = when
        self.status, self.revoked_cause = "erased", "erasure"
        self.pdf = self.pdf_sha256 = self.download_token_hash = None
        self.holder = ""
