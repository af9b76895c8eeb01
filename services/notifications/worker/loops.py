"""The loops notifications' processes run beside the consumer: the SMTP
sender (drains due mails), the digest flusher and the webhook sender. Each sleeps until a use
case's commit rings its doorbell (wakeups) or its idle time passes."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import sessionmaker

from .. import digests
from ..config import NotifyConfig
from ..mail.smtp import SmtpConnection, SmtpTarget, send_due
from ..store.wakeups import Wake
from ..webhooks.sending import send_due_webhooks

log = logging.getLogger(__name__)


class SenderLoop:
    """Drains due mails, then sleeps until a use case queues more
    (wakeups.MAIL) or `idle` seconds pass (for retries)."""

    def __init__(self, session_factory: sessionmaker, target: SmtpTarget, wake: Wake, *, idle: float = 1.0):
        self.session_factory, self.target, self.wake, self.idle = session_factory, target, wake, idle
        self.stopping = threading.Event()

    def run(self) -> None:
        connection = SmtpConnection(self.target)
        while not self.stopping.is_set():
            seen = self.wake.generation
            try:
                sent = send_due(self.session_factory, self.target, connection=connection)
            except Exception:
                log.exception("sending failed; next try in %ss", self.idle)
                connection.close()
                sent = 0
            if not sent:
                self.wake.wait(seen, self.idle)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.ring()


class DigestLoop:
    """Flushes due digests as soon as a handler writes entries (a zero
    window then mails at once), and every second for windows that close."""

    def __init__(self, factory: sessionmaker, config: NotifyConfig, wake: Wake, idle: float = 1.0):
        self.factory, self.config, self.wake, self.idle = factory, config, wake, idle
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            seen = self.wake.generation
            try:
                digests.flush_due(self.factory, self.config)
            except Exception:
                log.exception("digest flush failed; next try in %ss", self.idle)
            self.wake.wait(seen, self.idle)

    def stop(self) -> None:
        self.stopping.set()
        self.wake.ring()


class WebhookLoop:
    """Sends due webhook deliveries as soon as a handler or a ping queues
    some (wakeups.WEBHOOK), and every `idle` seconds for retries."""

    def __init__(self, factory: sessionmaker, config: NotifyConfig, wake: Wake):
        self.factory, self.config, self.wake = factory, config, wake
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            seen = self.wake.generation
            try:
                tried = send_due_webhooks(self.factory, self.config)
            except Exception:
                log.exception("webhook sending failed; next try in %ss", self.config.webhook_poll)
                tried = 0
            if not tried:
                self.wake.wait(seen, self.config.webhook_poll)

    def stop(self) -> None:
        self.stopping.set()
        self.wake.ring()
