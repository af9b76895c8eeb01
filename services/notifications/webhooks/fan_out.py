"""Turning a consumed event into deliveries, in the consumer's inbox
transaction: one per enabled endpoint of the event's organisations that
wants its type. A redelivered message was already claimed by the inbox, so
it never gets here twice."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.envelope import Envelope

from ..models import EventCopy, WebhookDelivery, WebhookEndpoint
from ..store.wakeups import WEBHOOK, mark
from .event_types import matches
from .payload import envelope_body


def organisations_of(session: Session, data: dict) -> list[str]:
    """event.* and attendance.certified name their organisations; the
    others are the organisations of the event they concern (notifications'
    own copy of it)."""
    if data.get("organisation_ids"):
        return list(data["organisation_ids"])
    event_id = data.get("event_id") or (data.get("event") or {}).get("event_id")
    if not event_id:
        return []
    copy = session.get(EventCopy, event_id)
    return list(copy.organisation_ids or ()) if copy is not None else []


def queue_for_event(session: Session, envelope: Envelope) -> int:
    """Queue the deliveries of one event; returns how many."""
    organisations = organisations_of(session, envelope.data)
    if not organisations:
        return 0
    endpoints = session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.organisation_id.in_(organisations), WebhookEndpoint.enabled.is_(True))
        .order_by(WebhookEndpoint.created_at)
    ).all()
    wanting = [endpoint for endpoint in endpoints if matches(endpoint.event_types or [], envelope.type)]
    if not wanting:
        return 0
    body, now = envelope_body(envelope), utcnow()
    for endpoint in wanting:
        session.add(
            WebhookDelivery(
                id=str(uuid.uuid4()),
                endpoint_id=endpoint.id,
                message_id=envelope.id,
                event_type=envelope.type,
                body=body,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    mark(session, WEBHOOK)
    return len(wanting)
