"""Registration's worker: consumer of event.* and schedule.released, the
outbox relay, and the periodic jobs (offer expiry, retention)."""

from __future__ import annotations

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.messaging.runner import every, run_worker

from ..models import Inbox, Outbox
from . import jobs
from .handlers import HANDLERS


def main() -> None:
    settings = load_settings("registration")
    factory = make_session_factory(make_engine(settings.database_url), service="registration", outbox_model=Outbox)
    factory.kw["info"]["public_base_url"] = settings.public_base_url  # links made by promotions
    loops = [
        every(jobs.OFFER_SECONDS, lambda: jobs.expire_offers(factory), "OfferExpiry"),
        every(jobs.RETENTION_SECONDS, lambda: jobs.anonymise_expired(factory), "Retention"),
    ]
    run_worker(settings, factory, outbox_model=Outbox, inbox_model=Inbox, handlers=HANDLERS, extra_loops=loops)


if __name__ == "__main__":
    main()
