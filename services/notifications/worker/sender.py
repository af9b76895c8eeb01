"""Notifications' SMTP sender as its own process:
`python -m services.notifications.worker.sender`.

Runs only the sender loops (SMTP_CONNECTIONS of them), so sending does not
share an interpreter with composing mails; the notifications worker then
runs with NOTIFICATIONS_SENDER=separate. Several may run: they split the
due deliveries with FOR UPDATE SKIP LOCKED. On PostgreSQL the loops wake on
`NOTIFY notifications_mail` (issued by the transaction that queues mails,
delivered on its commit); they also poll every SENDER_POLL_SECONDS (1), for
retries, for SQLite (no LISTEN) and while the listener reconnects.

The LISTEN connection goes to NOTIFICATIONS_LISTEN_DATABASE_URL (by default
NOTIFICATIONS_DATABASE_URL): behind PgBouncer in transaction mode, point it
at PostgreSQL itself, as a pooled connection belongs to the LISTENer only
for the LISTEN's own transaction; the sender's queries still go through
NOTIFICATIONS_DATABASE_URL."""

from __future__ import annotations

import logging
import signal
import threading

import psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from shared.config import load_settings
from shared.db import driver_options, make_engine, make_session_factory, normalise_url
from shared.messaging.runner import Loop

from ..config import load_config
from ..mail.smtp import SmtpTarget
from ..models import Outbox
from ..store import wakeups
from .loops import SenderLoop

log = logging.getLogger(__name__)


class Listener:
    """LISTENs on the mail channel over its own autocommit connection and
    rings `wake` on each notification (and after each reconnect)."""

    def __init__(self, database_url: str, wake: wakeups.Wake, *, retry: float = 1.0):
        bare, options = driver_options(normalise_url(database_url))
        url = make_url(bare).set(drivername="postgresql")
        self.dsn, self.options = url.render_as_string(hide_password=False), options
        self.wake, self.retry = wake, retry
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, **self.options) as conn:
                    conn.execute(f"LISTEN {wakeups.CHANNEL}")
                    log.info("listening on %s", wakeups.CHANNEL)
                    self.wake.ring()  # catch up on what was committed while not listening
                    while not self.stopping.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.wake.ring()
            except psycopg.Error:
                log.exception("LISTEN connection lost; polling until it is back (retry in %ss)", self.retry)
                self.stopping.wait(self.retry)

    def stop(self) -> None:
        self.stopping.set()


def loops(listen_url: str, factory: sessionmaker, target: SmtpTarget, connections: int, poll: float) -> list[Loop]:
    """The sender loops, with a LISTENer on `listen_url` in front on PostgreSQL (SQLite has no LISTEN: they poll)."""
    wake = wakeups.Wake()
    senders: list[Loop] = [SenderLoop(factory, target, wake, idle=poll) for _ in range(connections)]
    if make_url(normalise_url(listen_url)).get_backend_name() == "postgresql":
        return [Listener(listen_url, wake), *senders]
    return senders


def main() -> None:
    settings = load_settings("notifications")
    config = load_config(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s notifications-sender %(levelname)s %(message)s")
    factory = make_session_factory(make_engine(settings.database_url), service="notifications", outbox_model=Outbox)
    poll = config.sender_poll
    running = loops(
        config.listen_database_url, factory, SmtpTarget.from_url(settings.smtp_url), config.smtp_connections, poll
    )
    stopped = threading.Event()

    def stop(*_):
        stopped.set()
        for loop in running:
            loop.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threads = [threading.Thread(target=loop.run, name=type(loop).__name__, daemon=True) for loop in running]
    for thread in threads:
        thread.start()
    log.info("started: %s (poll every %ss)", ", ".join(t.name for t in threads), poll)
    stopped.wait()
    for thread in threads:
        thread.join(timeout=10)
    log.info("stopped")


if __name__ == "__main__":
    main()
