"""The webhook loop's work: claim due deliveries, POST each signed, record
the answer. Claiming is a short transaction that leases the rows (the next
attempt moves LEASE ahead, SKIP LOCKED on PostgreSQL lets several workers
split them), so no transaction stays open across a slow receiver; a worker
that dies mid-POST leaves the lease to run out and the delivery is tried
again (at least once, never lost: receivers deduplicate on the id).

A 2xx delivers; anything else (a 3xx too: no redirect is followed) is
retried after BACKOFF, with up to JITTER more so that the retries of one
outage spread out, until WEBHOOK_MAX_ATTEMPTS; then it has failed. After
WEBHOOK_DISABLE_AFTER deliveries in a row failed for good the endpoint is
disabled and its contact is told (notice.py)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from shared.db import utcnow

from ..config import NotifyConfig
from ..models import PING, WebhookDelivery, WebhookEndpoint
from .http_post import Answer, Unreachable, post
from .notice import queue_disabled_notice
from .signing import signed_headers

LEASE = dt.timedelta(minutes=5)
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
JITTER = 0.2  # up to 20 % added to each wait


@dataclass(frozen=True)
class Job:
    """What one POST needs, read while claiming (the rows are not held open)."""

    delivery_id: str
    url: str
    secret: str
    body: str


def retry_delay(attempts: int, draw: Callable[[], float] = random.random) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1] * (1 + JITTER * draw())


def send_due_webhooks(factory: sessionmaker, config: NotifyConfig, *, now: dt.datetime | None = None, batch=20) -> int:
    """Send what is due (at `now`, the clock by default); returns how many were tried."""
    jobs = claim_due(factory, now or utcnow(), batch)
    for job in jobs:
        answer: Answer | Unreachable
        body = job.body.encode("utf-8")
        try:
            answer = post(
                job.url,
                body,
                signed_headers(job.secret, job.delivery_id, int(time.time()), body),
                timeout=config.webhook_timeout,
            )
        except Unreachable as exc:
            answer = exc
        with factory() as session, session.begin():
            record(session, config, job.delivery_id, answer, now or utcnow())
    return len(jobs)


def claim_due(factory: sessionmaker, now: dt.datetime, batch: int) -> list[Job]:
    with factory() as session, session.begin():
        rows = session.execute(
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
                or_(WebhookEndpoint.enabled.is_(True), WebhookDelivery.event_type == PING),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.created_at)
            .limit(batch)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        ).all()
        jobs = []
        for delivery, endpoint in rows:
            delivery.attempts += 1
            delivery.last_attempt_at, delivery.next_attempt_at = now, now + LEASE
            jobs.append(Job(delivery.id, endpoint.url, endpoint.secret, delivery.body))
        return jobs


def record(session: Session, config: NotifyConfig, delivery_id: str, answer: Answer | Unreachable, now) -> None:
    """Write down one attempt; the endpoint row is locked to count failures in a row."""
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.status != "pending":
        return  # the endpoint was deleted meanwhile
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id, with_for_update=True)
    if endpoint is None:
        return
    if isinstance(answer, Answer):
        delivery.last_status_code, delivery.response_excerpt = answer.status, answer.excerpt or None
        delivery.last_error = None if answer.ok else f"HTTP {answer.status}"
    else:
        delivery.last_status_code, delivery.response_excerpt, delivery.last_error = None, None, str(answer)
    if isinstance(answer, Answer) and answer.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
        if not delivery.is_ping:
            endpoint.consecutive_failures = 0
        return
    if not delivery.is_ping and delivery.attempts < config.webhook_max_attempts:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        return
    delivery.status, delivery.next_attempt_at = "failed", None
    if delivery.is_ping:
        return
    endpoint.consecutive_failures += 1
    if endpoint.enabled and endpoint.consecutive_failures >= config.webhook_disable_after:
        endpoint.disable("failures", now)
        queue_disabled_notice(session, config, endpoint, delivery)
