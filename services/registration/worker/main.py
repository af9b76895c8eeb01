"""Registration's worker: consumer of event.* and schedule.released, the
outbox relay, and the periodic jobs (offer expiry, retention).
`python -m services.registration.worker.main`."""

from __future__ import annotations

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.messaging.runner import every, run_worker

from ..config import load_config
from ..models import Inbox, Outbox
from . import jobs
from .handlers import handlers_for


def main() -> None:
    config = load_config(load_settings("registration"))
    settings, base_url = config.settings, config.public_base_url
    factory = make_session_factory(make_engine(settings.database_url), service="registration", outbox_model=Outbox)
    loops = [
        every(jobs.OFFER_SECONDS, lambda: jobs.expire_offers(factory, base_url=base_url), "OfferExpiry"),
        every(jobs.RETENTION_SECONDS, lambda: jobs.anonymise_expired(factory, base_url=base_url), "Retention"),
        every(jobs.EVENT_END_SECONDS, lambda: jobs.certify_ended_events(factory), "EventEndCertificates"),
        every(
            jobs.SURVEY_SECONDS,
            lambda: jobs.invite_to_surveys(factory, base_url=base_url, secret_key=config.secret_key),
            "SurveyInvitations",
        ),
        every(jobs.RETENTION_SECONDS, lambda: jobs.expire_record_links(factory), "RecordLinkExpiry"),
    ]
    handlers = handlers_for(config)
    run_worker(settings, factory, outbox_model=Outbox, inbox_model=Inbox, handlers=handlers, extra_loops=loops)


if __name__ == "__main__":
    main()
