"""A registration and its state machine. Each move is a model method that
refuses what the table does not allow, raises the revision and stamps the
time; the use cases publish every move as `registration.<new state>`."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Boolean, ColumnElement, ForeignKey, Index, Integer, String, func, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import BinaryExpression, Grouping

from shared.db import UTCDateTime, utcnow
from shared.errors import Conflict

from .base import Base

# Which state may follow which.
TRANSITIONS = {
    "pending": {"confirmed", "waitlisted", "rejected", "cancelled"},
    "confirmed": {"cancelled"},
    "waitlisted": {"confirmed", "offered", "cancelled"},
    "offered": {"confirmed", "expired", "cancelled"},
    "cancelled": set(),
    "rejected": set(),
    "expired": set(),
}
ACTIVE = ("pending", "confirmed", "waitlisted", "offered")  # holds answers, choices, a place in line
ONE_PER_EMAIL = "status IN ('pending', 'confirmed', 'waitlisted', 'offered', 'rejected')"
NOT_ERASED = "erased_at IS NULL"
WAITING = "status = 'waitlisted'"


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        Index("ix_registrations_queue", "event_id", "status", "queued_at"),  # also serves event_id alone
        # Most registrations have no category and no offer: index only those that do.
        Index(
            "ix_registrations_category_id",
            "category_id",
            postgresql_where=text("category_id IS NOT NULL"),
            sqlite_where=text("category_id IS NOT NULL"),
        ),
        Index(
            "ix_registrations_offer_expires_at",
            "offer_expires_at",
            postgresql_where=text("offer_expires_at IS NOT NULL"),
            sqlite_where=text("offer_expires_at IS NOT NULL"),
        ),
        # The organisers' list in its order (and the dashboard's counts by state and hour) from the index alone.
        Index(
            "ix_registrations_listed",
            "event_id",
            "created_at",
            "id",
            "status",
            postgresql_where=text(NOT_ERASED),
            sqlite_where=text(NOT_ERASED),
        ),
        # A place in line (the event's, a category's) counted from the index alone; the queries
        # spell the status as a literal so both planners match this predicate.
        Index(
            "ix_registrations_waiting",
            "event_id",
            "queued_at",
            "id",
            "category_id",
            postgresql_where=text(WAITING),
            sqlite_where=text(WAITING),
        ),
        # One active (or rejected) registration per e-mail and event, even for submits at the same instant.
        Index(
            "uq_registrations_active_email",
            "event_id",
            "email",
            unique=True,
            postgresql_where=text(ONE_PER_EMAIL),
            sqlite_where=text(ONE_PER_EMAIL),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(320), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(100), default="", server_default="")
    locale: Mapped[str] = mapped_column(String(5), default="it")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", name="fk_registrations_category_id_categories")
    )
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20))
    holds_seat: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str | None] = mapped_column(String(1000))
    offer_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    consent_version: Mapped[str | None] = mapped_column(String(40))
    certified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)  # FIFO order
    # The person's own join link from the webinar platform's registrant list (confidential);
    # its revision rises with each change, for registration.join_link_changed.
    join_url: Mapped[str | None] = mapped_column(String(1000))
    join_link_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def _move(self, new_status: str, *, reason: str | None = None) -> str:
        previous = self.status
        if new_status not in TRANSITIONS.get(previous, set()):
            raise Conflict(f"a {previous} registration cannot become {new_status}", field="status")
        self.status = new_status
        self.revision += 1
        self.updated_at = utcnow()
        self.reason = reason
        if previous == "offered":
            self.offer_expires_at = None
        return previous

    def confirm(self) -> str:
        return self._move("confirmed")

    def cancel(self, reason: str | None = None) -> str:
        return self._move("cancelled", reason=reason)

    def waitlist(self, now: dt.datetime | None = None) -> str:
        previous = self._move("waitlisted")
        self.queued_at = now or utcnow()  # the line is FIFO from the moment one joins it
        return previous

    def offer(self, expires_at: dt.datetime) -> str:
        previous = self._move("offered")
        self.offer_expires_at = expires_at
        return previous

    def expire(self) -> str:
        return self._move("expired")

    def reject(self, reason: str | None = None) -> str:
        return self._move("rejected", reason=reason)


def searched_text(columns) -> ColumnElement[str]:
    """What the organisers' search looks in (`columns`: the table's or the model's), as
    ONE lower-case text, so that one trigram index serves it: first name, last name,
    e-mail and organisation joined by chr(31), the unit separator. A pattern free of it
    and of LIKE's wildcards then matches within one field, never across two. The
    separator is spelt in SQL, not bound, so the query carries the index's expression."""
    separator = func.chr(literal_column("31"))
    joined = columns.first_name
    for field in (columns.last_name, columns.email, columns.organisation):
        # ((a || sep) || b): parenthesised as PostgreSQL prints the index back, which is
        # what the migrations' comparison with the models reads
        joined = _concat(Grouping(_concat(_grouped(joined), separator)), field)
    return func.lower(joined)


def _concat(left, right):
    return left.op("||", return_type=String())(right)


def _grouped(element):
    return Grouping(element) if isinstance(element, BinaryExpression) else element


# The organisers' search (store/search.py) on PostgreSQL: pg_trgm answers LIKE '%q%' on
# the searched text from this index (migration 0011). Not partial: the planner reads the
# statistics of an index expression only from a whole-table index, and without them it
# takes a search that matches most rows for a rare one. SQLite has no trigram index.
Index(
    "ix_registrations_search",
    searched_text(Registration.__table__.c).label("searched_text"),
    postgresql_using="gin",
    postgresql_ops={"searched_text": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")
