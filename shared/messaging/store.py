"""Outbox and inbox tables, as mixins each service maps into its own database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

BIGINT = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER only


class OutboxMixin:
    """Events written in the same transaction as the business rows; the relay
    publishes them in `id` order and stamps `published_at`, or holds back one
    whose body fails its event's schema and says why in `held_reason`."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    routing_key: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # the exact JSON sent on the wire
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    held_reason: Mapped[str | None] = mapped_column(Text)


class InboxMixin:
    """One row per (consumer, message id) applied: a redelivery finds it and
    has no second effect."""

    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
