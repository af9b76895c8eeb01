"""Scheduling's worker: the outbox relay (scheduling consumes no events, so
there are no handlers). `python -m services.scheduling.worker.main`."""

from __future__ import annotations

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.messaging.runner import run_worker

from ..config import load_config
from ..models import Outbox


def main() -> None:
    config = load_config(load_settings("scheduling"))
    factory = make_session_factory(make_engine(config.settings.database_url), service="scheduling", outbox_model=Outbox)
    run_worker(config.settings, factory, outbox_model=Outbox)


if __name__ == "__main__":
    main()
