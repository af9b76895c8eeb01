"""Notifications' worker: the consumer, the outbox relay, the SMTP sender
(SMTP_CONNECTIONS threads), the digest flusher and the reminder job.
NOTIFICATIONS_SENDER=separate leaves the sending to separate processes
(services.notifications.sender_worker); the default, `inline`, sends here."""

from __future__ import annotations

import logging
import os
import threading

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.messaging.runner import every, run_worker

from . import digests, reminders, wakeups
from .config import NotifyConfig, load_config
from .handlers import build_handlers
from .models import Inbox, Outbox
from .sender import SenderLoop, SmtpTarget

log = logging.getLogger(__name__)


class DigestLoop:
    """Flushes due digests as soon as a handler writes entries (a zero
    window then mails at once), and every second for windows that close."""

    def __init__(self, factory, config: NotifyConfig, wake: wakeups.Wake, idle: float = 1.0):
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


def sends_inline(env=None) -> bool:
    mode = ((os.environ if env is None else env).get("NOTIFICATIONS_SENDER") or "inline").strip().lower()
    if mode not in ("inline", "separate"):
        raise ValueError(f"NOTIFICATIONS_SENDER must be inline or separate, not {mode!r}")
    return mode == "inline"


def loops(factory, config: NotifyConfig, wakes: dict, *, inline: bool = True) -> list:
    target = SmtpTarget.from_url(config.settings.smtp_url)
    count = config.smtp_connections if inline else 0
    senders = [SenderLoop(factory, target, wakes[wakeups.MAIL]) for _ in range(count)]
    reminder = every(config.reminder_every, lambda: reminders.send_due_reminders(factory, config), name="Reminders")
    return [*senders, DigestLoop(factory, config, wakes[wakeups.DIGEST]), reminder]


def main() -> None:
    settings = load_settings("notifications")
    config = load_config(settings)
    factory = make_session_factory(make_engine(settings.database_url), service="notifications", outbox_model=Outbox)
    wakes = wakeups.install(factory)
    run_worker(
        settings,
        factory,
        outbox_model=Outbox,
        inbox_model=Inbox,
        handlers=build_handlers(config),
        extra_loops=loops(factory, config, wakes, inline=sends_inline()),
    )


if __name__ == "__main__":
    main()
