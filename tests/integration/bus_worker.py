"""Registration's consumer in its own process, for the kill -9 tests:

    python -m tests.integration.bus_worker {ack-after,ack-first} MARKER_FILE

Settings come from TEST_BUS_* variables. The handler writes the message id
to MARKER_FILE and then blocks (inside its database transaction, inbox row
claimed, nothing committed) until the test kills the process.

ack-after  the real EventConsumer: it acks only after the handler committed.
ack-first  a deliberately broken consumer that acks before handling: the
           control that shows the kill test can see a lost message.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from services.registration.models import Inbox, Outbox
from shared.db import make_engine, make_session_factory
from shared.messaging.connection import connect
from shared.messaging.consumer import EventConsumer
from shared.messaging.dispatch import dispatch
from tests.factories import settings_for

BLOCK_AT_MOST = 120  # seconds; the test kills us long before, this only bounds an orphan


class AckFirstConsumer(EventConsumer):
    def on_message(self, body, message):
        message.ack()  # the bug under control: acknowledged before the effect is committed
        dispatch(
            body,
            consumer=self.service,
            handlers=self.handlers,
            session_factory=self.session_factory,
            inbox_model=self.inbox_model,
        )


def main(mode: str, marker: Path) -> int:
    settings = settings_for(
        "registration",
        Path(os.environ["TEST_BUS_VAR_DIR"]),
        database_url=os.environ["TEST_BUS_DATABASE_URL"],
        broker_url=os.environ["TEST_BUS_BROKER_URL"],
        retry_delay_ms=int(os.environ["TEST_BUS_RETRY_DELAY_MS"]),
        max_delivery_attempts=int(os.environ["TEST_BUS_MAX_ATTEMPTS"]),
    )
    factory = make_session_factory(make_engine(settings.database_url), service="registration", outbox_model=Outbox)

    def blocking_handler(session, data, envelope):
        session.flush()  # the inbox claim is in the open transaction
        marker.write_text(envelope.id)
        deadline = time.monotonic() + BLOCK_AT_MOST
        while time.monotonic() < deadline:
            time.sleep(0.05)
        raise RuntimeError("bus_worker was not killed")

    handlers = {"event.published": blocking_handler}
    consumer_cls = {"ack-after": EventConsumer, "ack-first": AckFirstConsumer}[mode]
    with connect(settings.broker_url, settings.bus_dir) as conn:
        consumer_cls(conn, settings=settings, handlers=handlers, session_factory=factory, inbox_model=Inbox).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
