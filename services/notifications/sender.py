"""Sends pending deliveries over SMTP (SMTP_URL): transient failures
(connection errors, 4xx) are retried with exponential back-off, permanent
ones (5xx) are recorded as failed. A crash between the SMTP server accepting
a mail and the row being marked sent means that mail goes out once more."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from email import message_from_bytes
from email.utils import parseaddr
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from shared.db import utcnow

from .models import Delivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_BACKOFF = dt.timedelta(seconds=5)
MAX_BACKOFF = dt.timedelta(hours=1)


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    security: str  # plain | starttls | tls
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> "SmtpTarget":
        """smtp://host:25 (plain), smtp+starttls://user:pw@host:587, smtps://user:pw@host:465"""
        parts = urlsplit(url)
        security = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}.get(parts.scheme)
        if security is None:
            raise ValueError(f"SMTP_URL scheme must be smtp, smtp+starttls or smtps, not {parts.scheme!r}")
        default_port = {"plain": 25, "starttls": 587, "tls": 465}[security]
        return cls(parts.hostname or "localhost", parts.port or default_port, security,
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None)

    def open(self, timeout: float = 30) -> smtplib.SMTP:
        if self.security == "tls":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=timeout)
            if self.security == "starttls":
                client.starttls(context=ssl.create_default_context())
        if self.username:
            client.login(self.username, self.password or "")
        return client


def backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def send_due(session_factory: sessionmaker, target: SmtpTarget, *, batch: int = 50,
             now: dt.datetime | None = None) -> int:
    """Send what is due; returns how many were accepted by the server."""
    with session_factory() as session, session.begin():
        due = session.scalars(
            select(Delivery).where(Delivery.status == "pending", Delivery.next_attempt_at <= (now or utcnow()))
            .order_by(Delivery.id).limit(batch).with_for_update(skip_locked=True)
        ).all()
        if not due:
            return 0
        sent = 0
        try:
            client = target.open()
        except (OSError, smtplib.SMTPException) as exc:
            for delivery in due:
                delivery.attempts += 1
                _transient(delivery, f"cannot connect: {exc}")
            return 0
        with client:
            for delivery in due:
                sent += _send_one(client, delivery)
        return sent


def _send_one(client: smtplib.SMTP, delivery: Delivery) -> int:
    delivery.attempts += 1
    try:
        refused = client.sendmail(_envelope_sender(delivery), [delivery.recipient], delivery.raw)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        return _by_code(delivery, code, reply)
    except smtplib.SMTPResponseException as exc:
        return _by_code(delivery, exc.smtp_code, exc.smtp_error)
    except (OSError, smtplib.SMTPException) as exc:
        _transient(delivery, f"{type(exc).__name__}: {exc}")
        return 0
    if refused:
        return _by_code(delivery, *next(iter(refused.values())))
    delivery.status, delivery.sent_at, delivery.last_error = "sent", utcnow(), None
    return 1


def _by_code(delivery: Delivery, code: int, reply) -> int:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    if 500 <= code < 600:
        delivery.status, delivery.last_error = "failed", f"{code} {text}"
        log.error("delivery %s to %s refused for good: %s %s", delivery.id, delivery.recipient, code, text)
    else:
        _transient(delivery, f"{code} {text}")
    return 0


def _transient(delivery: Delivery, error: str) -> None:
    delivery.last_error = error
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
        return
    delivery.next_attempt_at = utcnow() + backoff(max(delivery.attempts, 1))


def _envelope_sender(delivery: Delivery) -> str:
    return parseaddr(message_from_bytes(delivery.raw).get("From", ""))[1]
