"""Webhooks: the endpoints an organisation registers and the log of what
was sent to them. A delivery is written in the transaction that consumed the
event and sent by the worker's webhook loop, like a mail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base

WEBHOOK_DELIVERY_STATES = ("pending", "delivered", "failed")
PING = "webhook.ping"  # the type of a test delivery


class WebhookEndpoint(Base):
    """One organisation's receiver: where to POST, which event types, and the
    HMAC secret (kept as is: signing needs it, so it cannot be hashed)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(300), default="")
    event_types: Mapped[list] = mapped_column(JSON, default=list)  # exact types or 'registration.*'
    secret: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(40))  # 'failures' | 'organiser'
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)  # failed deliveries since the last success
    contact_email: Mapped[str] = mapped_column(String(320))
    contact_language: Mapped[str] = mapped_column(String(5), default="it")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def disable(self, reason: str, now: dt.datetime) -> None:
        self.enabled, self.disabled_reason, self.disabled_at, self.updated_at = False, reason, now, now

    def enable(self, now: dt.datetime) -> None:
        self.enabled, self.disabled_reason, self.disabled_at, self.updated_at = True, None, None, now
        self.consecutive_failures = 0


class WebhookDelivery(Base):
    """One event for one endpoint: the exact body that is signed, and how
    sending it went. Only a short excerpt of the receiver's answer is kept."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint_id_created_at", "endpoint_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the Eventi-Webhook-Id header
    endpoint_id: Mapped[str] = mapped_column(String(36), ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(36))  # the envelope's id
    event_type: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    response_excerpt: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_ping(self) -> bool:
        return self.event_type == PING
