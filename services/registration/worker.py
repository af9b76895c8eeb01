"""Registration's worker: consumer of event.* plus the outbox relay."""

from __future__ import annotations

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.messaging.runner import run_worker

from .handlers import HANDLERS
from .models import Inbox, Outbox


def main() -> None:
    settings = load_settings("registration")
    factory = make_session_factory(make_engine(settings.database_url), service="registration", outbox_model=Outbox)
    run_worker(settings, factory, outbox_model=Outbox, inbox_model=Inbox, handlers=HANDLERS)


if __name__ == "__main__":
    main()
