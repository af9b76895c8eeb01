"""Sends pending deliveries over SMTP (SMTP_URL): transient failures
(connection errors, 4xx) are retried with exponential back-off, permanent
ones (5xx) are recorded as failed. Each batch is one transaction: a crash
after the SMTP server accepted mails of a batch and before the batch was
recorded sends each of those mails once more (at most one duplicate each).
The loop that calls `send_due` lives in worker/loops.py.
A mail whose participant was erased meanwhile loses its personal data as
soon as it is sent or has failed for good."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import time
from dataclasses import dataclass
from email import message_from_bytes
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from shared.db import utcnow

from ..models import Delivery
from .addresses import UndeliverableAddress, smtp_address

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
    def from_url(cls, url: str) -> SmtpTarget:
        """smtp://host:25 (plain), smtp+starttls://user:pw@host:587, smtps://user:pw@host:465"""
        parts = urlsplit(url)
        security = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}.get(parts.scheme)
        if security is None:
            raise ValueError(f"SMTP_URL scheme must be smtp, smtp+starttls or smtps, not {parts.scheme!r}")
        default_port = {"plain": 25, "starttls": 587, "tls": 465}[security]
        return cls(
            parts.hostname or "localhost",
            parts.port or default_port,
            security,
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None,
        )

    def open(self, timeout: float = 30) -> smtplib.SMTP:
        client: smtplib.SMTP
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


class SmtpConnection:
    """One SMTP connection kept open across batches (a fresh one after an
    error or when it has been idle), so a burst of mails pays for one
    handshake instead of one per batch."""

    IDLE_SECONDS = 20.0

    def __init__(self, target: SmtpTarget):
        self.target = target
        self.client: smtplib.SMTP | None = None
        self.used_at = 0.0
        self.refused: Exception | None = None  # the connect error of this batch: no retry within it

    def get(self) -> smtplib.SMTP:
        if self.refused is not None:
            raise self.refused
        if self.client is not None and time.monotonic() - self.used_at > self.IDLE_SECONDS:
            self.close()
        if self.client is None:
            try:
                self.client = self.target.open()
            except (OSError, smtplib.SMTPException) as exc:
                self.refused = exc
                raise
        self.used_at = time.monotonic()
        return self.client

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()


def send_due(
    session_factory: sessionmaker,
    target: SmtpTarget,
    *,
    batch: int = 50,
    now: dt.datetime | None = None,
    connection: SmtpConnection | None = None,
) -> int:
    """Send what is due; returns how many were accepted by the server."""
    own = connection is None
    connection = connection or SmtpConnection(target)
    connection.refused = None
    try:
        with session_factory() as session, session.begin():
            due = session.scalars(
                select(Delivery)
                .where(Delivery.status == "pending", Delivery.next_attempt_at <= (now or utcnow()))
                .order_by(Delivery.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            ).all()
            due = _in_order_per_recipient(session, due)
            if not due:
                return 0
            sent, waiting = 0, set()
            for delivery in due:
                if delivery.recipient in waiting:
                    continue  # an earlier mail to this person was not accepted: this one waits for it
                accepted = _send_one(connection, delivery)
                sent += accepted
                if not accepted and delivery.status == "pending":
                    waiting.add(delivery.recipient)
            for delivery in due:
                if delivery.erased_at is not None and delivery.final:
                    delivery.scrub()
            return sent
    finally:
        if own:
            connection.close()


def _in_order_per_recipient(session, due: list[Delivery]) -> list[Delivery]:
    """The batch less any mail that has an earlier one to the same person still
    pending outside it: locked by another sender mid-batch, or waiting to be
    retried. Mails to one person then leave in the order they were written, so a
    calendar CANCEL never overtakes the REQUEST before it; the held ones stay
    pending (their lock ends with this transaction) and go in a later round."""
    if not due:
        return due
    ours = {delivery.id for delivery in due}
    first_elsewhere: dict[str, int] = {}
    for recipient, delivery_id in session.execute(
        select(Delivery.recipient, Delivery.id).where(
            Delivery.status == "pending",
            Delivery.recipient.in_({delivery.recipient for delivery in due}),
            Delivery.id < max(ours),
            Delivery.id.not_in(ours),
        )
    ):
        first_elsewhere[recipient] = min(delivery_id, first_elsewhere.get(recipient, delivery_id))
    return [d for d in due if d.id < first_elsewhere.get(d.recipient, d.id + 1)]


def _send_one(connection: SmtpConnection, delivery: Delivery) -> int:
    delivery.attempts += 1
    try:
        recipient = smtp_address(delivery.recipient)  # a row queued before addresses were checked
    except UndeliverableAddress as exc:
        delivery.status, delivery.last_error = "failed", str(exc)
        log.error("delivery %s refused before sending: %s", delivery.id, exc)
        return 0
    try:
        client = connection.get()
    except (OSError, smtplib.SMTPException) as exc:
        connection.close()
        _transient(delivery, f"cannot connect: {exc}")
        return 0
    try:
        refused = client.sendmail(_envelope_sender(delivery), [recipient], delivery.raw)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        return _by_code(delivery, code, reply)
    except smtplib.SMTPResponseException as exc:
        return _by_code(delivery, exc.smtp_code, exc.smtp_error)
    except (OSError, smtplib.SMTPException) as exc:
        connection.close()  # in an unknown state: the next mail gets a new connection
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
    """The From address, read from the header block only (parsing the whole
    message for it cost more than sending it)."""
    head = delivery.raw.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        if line[:5].lower() == b"from:":
            address = _address_of(line[5:])
            if address:
                return address
    return parseaddr(message_from_bytes(delivery.raw).get("From", ""))[1]


@lru_cache(maxsize=32)
def _address_of(value: bytes) -> str:
    return parseaddr(value.decode("ascii", "replace").strip())[1]
