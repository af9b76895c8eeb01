"""Notifications' worker: the consumer, the outbox relay, the SMTP sender
(SMTP_CONNECTIONS threads), the digest flusher, the reminder job, the
"starts soon" job of online items and the webhook sender.
NOTIFICATIONS_SENDER=separate leaves the sending to separate processes
(worker/sender.py); the default, `inline`, sends here."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.messaging.runner import Loop, every, run_worker

from .. import reminders, starts_soon
from ..config import NotifyConfig, load_config
from ..mail.smtp import SmtpTarget
from ..models import Inbox, Outbox
from ..store import wakeups
from .handlers import build_handlers
from .loops import DigestLoop, SenderLoop, WebhookLoop


def loops(factory: sessionmaker, config: NotifyConfig, wakes: dict[str, wakeups.Wake]) -> list[Loop]:
    """The sender threads (none when sending is separate), the digest flusher, the reminder jobs and webhooks."""
    target = SmtpTarget.from_url(config.settings.smtp_url)
    count = config.smtp_connections if config.sends_inline else 0
    senders: list[Loop] = [SenderLoop(factory, target, wakes[wakeups.MAIL]) for _ in range(count)]
    reminder = every(config.reminder_every, lambda: reminders.send_due_reminders(factory, config), name="Reminders")
    soon = every(config.reminder_every, lambda: starts_soon.send_due_starts_soon(factory, config), name="StartsSoon")
    hooks = WebhookLoop(factory, config, wakes.get(wakeups.WEBHOOK) or wakeups.Wake())
    return [*senders, DigestLoop(factory, config, wakes[wakeups.DIGEST]), reminder, soon, hooks]


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
        extra_loops=loops(factory, config, wakes),
    )


if __name__ == "__main__":
    main()
