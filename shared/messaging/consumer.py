"""The consumer: one queue per service, replicas compete on it. Each message
is validated, applied once through the inbox, then acked. Failures are
retried by publishing a copy with `x-attempt` + 1 (never `requeue()`, which
copies the message into other services' queues on virtual transports) and
parked in `<service>.dead` after the last attempt."""

from __future__ import annotations

import datetime as dt
import logging
import time

from kombu import Producer
from kombu.mixins import ConsumerMixin

from .connection import is_amqp
from .dispatch import Verdict, dispatch
from .topology import DEAD, RETRY, declare_all, service_queue

log = logging.getLogger(__name__)

PREFETCH = 10
DATABASE_DOWN_PAUSE = 1.0  # seconds between tries while the database is away


class EventConsumer(ConsumerMixin):
    def __init__(self, connection, *, settings, handlers, session_factory, inbox_model):
        self.connection = connection
        self.settings = settings
        self.service = settings.service
        self.handlers = handlers
        self.session_factory = session_factory
        self.inbox_model = inbox_model
        self.producer: Producer | None = None  # made with the channel, in get_consumers
        self.outcomes: list = []  # the last verdicts, for logs and tests

    def get_consumers(self, Consumer, channel):
        declare_all(channel, is_amqp=is_amqp(self.connection))
        # Same channel, so confirms apply to retry and park publishes too.
        self.producer = Producer(channel)
        return [
            Consumer(
                queues=[service_queue(self.service)],
                callbacks=[self.on_message],
                accept=["json"],
                prefetch_count=PREFETCH,
            )
        ]

    def on_message(self, body, message):
        outcome = dispatch(
            body,
            consumer=self.service,
            handlers=self.handlers,
            session_factory=self.session_factory,
            inbox_model=self.inbox_model,
        )
        self.outcomes = (self.outcomes + [outcome])[-100:]
        if outcome.verdict is Verdict.RETRY and outcome.database_down:
            self._retry_while_database_down(message, outcome.reason)
        elif outcome.verdict is Verdict.RETRY:
            self._retry_or_park(message, outcome.reason)
        elif outcome.verdict is Verdict.PARK:
            self._park(message, outcome.reason)
        log.info("%s %s: %s %s", self.service, outcome.event_type or "?", outcome.verdict.value, outcome.reason)
        message.ack()  # only after any retry/park copy was confirmed

    def on_decode_error(self, message, exc):
        # kombu's default acks undecodable bodies silently; park them instead.
        self._park(message, f"undecodable body: {exc}")
        message.ack()

    def _attempt(self, message) -> int:
        try:
            return int((message.headers or {}).get("x-attempt", 1))
        except (TypeError, ValueError):
            return 1

    def _retry_or_park(self, message, reason: str) -> None:
        attempt = self._attempt(message)
        if attempt >= self.settings.max_delivery_attempts:
            self._park(message, f"gave up after {attempt} attempts: {reason}")
            return
        # On RabbitMQ the retry queue holds the copy for its TTL and dead-letters
        # it back to our queue; virtual transports have no TTL: straight back.
        headers = {"x-attempt": attempt + 1, "x-last-error": reason[:500]}
        if is_amqp(self.connection):
            self._republish(message, RETRY, headers, expiration=self.settings.retry_delay_ms / 1000)
        else:
            self._republish(message, "", headers)

    def _retry_while_database_down(self, message, reason: str) -> None:
        """While the database is away a retry keeps its attempt number, so
        messages wait for the database however long it takes (a restart would
        otherwise use up every attempt within seconds and park valid
        messages); only failures with the database up count towards parking."""
        time.sleep(DATABASE_DOWN_PAUSE)  # virtual transports have no retry delay: no busy loop
        headers = {"x-attempt": self._attempt(message), "x-last-error": reason[:500]}
        if is_amqp(self.connection):
            self._republish(message, RETRY, headers, expiration=self.settings.retry_delay_ms / 1000)
        else:
            self._republish(message, "", headers)

    def _park(self, message, reason: str) -> None:
        log.error("%s parks message %s: %s", self.service, message.properties.get("message_id"), reason)
        self._republish(
            message,
            DEAD,
            {
                "x-attempt": self._attempt(message),
                "x-parked-reason": reason[:2000],
                "x-parked-at": dt.datetime.now(dt.timezone.utc).isoformat(),
            },
        )

    def _republish(self, message, exchange, extra_headers: dict, **properties) -> None:
        assert self.producer is not None, "consuming starts after get_consumers"
        self.producer.publish(
            wire_body(message),
            exchange=exchange,
            routing_key=self.service,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            headers={**(message.headers or {}), **extra_headers},
            message_id=message.properties.get("message_id"),
            delivery_mode=2,
            retry=True,
            **properties,
        )


def wire_body(message) -> bytes:
    """The message's body as the bytes that came over the wire. py-amqp
    decodes a body to str whenever content_encoding is set; republishing that
    str without a content_type made kombu label the copy `text/plain`, which
    accept=["json"] refuses, so a valid message parked as undecodable after
    one transient failure. Bytes keep the body exact on every transport."""
    body = message.body
    if isinstance(body, str):
        body = body.encode(message.content_encoding or "utf-8")
    return body
