"""Notifications' worker: consumer, outbox relay and the SMTP sender loop."""

from __future__ import annotations

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.messaging.runner import every, run_worker

from .handlers import build_handlers
from .models import Inbox, Outbox
from .sender import SmtpTarget, send_due


def main() -> None:
    settings = load_settings("notifications")
    factory = make_session_factory(make_engine(settings.database_url), service="notifications",
                                   outbox_model=Outbox)
    target = SmtpTarget.from_url(settings.smtp_url)
    sender = every(1.0, lambda: send_due(factory, target), name="MailSender")
    run_worker(settings, factory, outbox_model=Outbox, inbox_model=Inbox,
               handlers=build_handlers(settings), extra_loops=[sender])


if __name__ == "__main__":
    main()
