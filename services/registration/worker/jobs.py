"""The periodic jobs the worker runs, each in its own short transactions."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from ..certificates import close_ended
from ..offers import expire_due
from ..privacy import retention_sweep
from ..surveys import send_due
from ..training_records import expire_links

log = logging.getLogger(__name__)
OFFER_SECONDS = 30
RETENTION_SECONDS = 3600
OFFER_BATCH = 100
RETENTION_BATCH = 200
EVENT_END_SECONDS = 300
EVENT_END_BATCH = 20
SURVEY_SECONDS = 300
SURVEY_BATCH = 100


def drain(factory: sessionmaker[Session], step: Callable[[Session], int], batch: int) -> int:
    """Run `step` in one transaction after another until it does less than a full batch; the total done."""
    total = 0
    while True:
        with factory() as session, session.begin():
            done = step(session)
        total += done
        if done < batch:
            return total


def expire_offers(factory: sessionmaker[Session], *, base_url: str) -> int:
    """Expire every offer past its deadline, in batches; each passes its seat
    on (a new offer's link starts with `base_url`)."""
    total = drain(factory, lambda session: expire_due(session, base_url=base_url, limit=OFFER_BATCH), OFFER_BATCH)
    if total:
        log.info("expired %d offers", total)
    return total


def anonymise_expired(factory: sessionmaker[Session], *, base_url: str) -> int:
    """Anonymise the registrations of events past their retention period, in
    batches (one still active is cancelled first: its place may make an offer)."""
    total = drain(
        factory, lambda session: retention_sweep(session, base_url=base_url, limit=RETENTION_BATCH), RETENTION_BATCH
    )
    if total:
        log.info("anonymised %d registrations past their retention period", total)
    return total


def invite_to_surveys(factory: sessionmaker[Session], *, base_url: str, secret_key: str) -> int:
    """Invite to open surveys (and remind, once) whoever is due, in batches."""
    total = drain(
        factory,
        lambda session: send_due(session, base_url=base_url, secret_key=secret_key, limit=SURVEY_BATCH),
        SURVEY_BATCH,
    )
    if total:
        log.info("sent %d survey invitations and reminders", total)
    return total


def expire_record_links(factory: sessionmaker[Session]) -> int:
    """Forget the training record links past their expiry (each names an address)."""
    with factory() as session, session.begin():
        return expire_links(session)


def certify_ended_events(factory: sessionmaker[Session]) -> int:
    """The certificate evaluation at the end of each event, once per event, a few events per transaction."""
    total = drain(factory, lambda session: close_ended(session, limit=EVENT_END_BATCH), EVENT_END_BATCH)
    if total:
        log.info("evaluated the certificates of %d ended events", total)
    return total
