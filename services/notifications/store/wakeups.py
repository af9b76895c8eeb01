"""Wake the worker's loops the moment their work is committed, instead of
waiting for the next poll: a use case marks its session (`mark`), and after
that session commits, the matching `Wake` rings. Without an installed
listener (web processes, tests) marks are simply ignored.

On PostgreSQL, marking a mail also issues `NOTIFY notifications_mail` in
the session's transaction (once per transaction): PostgreSQL delivers it on
commit, and drops it on rollback, to separate sender processes LISTENing
on that channel (worker/sender.py). It sits below the use cases, not in
worker/, because the use cases mark their sessions."""

from __future__ import annotations

import threading

from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker

from shared.db import is_postgres

MAIL, DIGEST, WEBHOOK = "mail", "digest", "webhook"
CHANNEL = "notifications_mail"


class Wake:
    """A doorbell several threads can wait on without missing a ring."""

    def __init__(self):
        self._condition = threading.Condition()
        self.generation = 0

    def ring(self) -> None:
        with self._condition:
            self.generation += 1
            self._condition.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until a ring after `seen` (or the timeout); returns the generation."""
        with self._condition:
            self._condition.wait_for(lambda: self.generation != seen, timeout)
            return self.generation


def mark(session: Session, what: str) -> None:
    session.info.setdefault("wake", set()).add(what)
    if what == MAIL:
        _notify(session)


def _notify(session: Session) -> None:
    """NOTIFY the mail channel, once per (root) transaction, on PostgreSQL only."""
    transaction = session.get_transaction()
    if transaction is None or session.info.get("notified") is transaction:
        return
    if not is_postgres(session.connection()):
        return
    session.execute(text(f"NOTIFY {CHANNEL}"))
    session.info["notified"] = transaction


def install(factory: sessionmaker) -> dict[str, Wake]:
    wakes = {MAIL: Wake(), DIGEST: Wake(), WEBHOOK: Wake()}

    @event.listens_for(factory, "after_commit")
    def _rang(session):
        for what in session.info.pop("wake", ()):
            wakes[what].ring()

    @event.listens_for(factory, "after_rollback")
    def _forget(session):
        session.info.pop("wake", None)

    return wakes
