"""The periodic jobs the worker runs, each in its own short transactions."""

from __future__ import annotations

import logging

from sqlalchemy.orm import sessionmaker

from .offers import expire_due
from .privacy import retention_sweep

log = logging.getLogger(__name__)
OFFER_SECONDS = 30
RETENTION_SECONDS = 3600


def expire_offers(factory: sessionmaker) -> int:
    """Expire every offer past its deadline, in batches; each passes its seat on."""
    total = 0
    while True:
        with factory() as session, session.begin():
            done = expire_due(session)
        total += done
        if done < 100:
            break
    if total:
        log.info("expired %d offers", total)
    return total


def anonymise_expired(factory: sessionmaker) -> int:
    total = 0
    while True:
        with factory() as session, session.begin():
            done = retention_sweep(session)
        total += done
        if done < 200:
            break
    if total:
        log.info("anonymised %d registrations past their retention period", total)
    return total
