"""`python -m services.demo`: fill the demo once the system is up, then idle.

It idles instead of exiting because honcho (`make run`) stops every process
as soon as one ends, even with status 0; SIGTERM (Ctrl-C on honcho) ends it
with 0. A demo that cannot be filled is logged and idles too: the system
itself keeps running."""

from __future__ import annotations

import logging
import signal
import sys
import time

from .client import Client, Unexpected
from .config import load_config
from .fill import fill, wait_until_up

log = logging.getLogger("demo")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stdout)
    for signum in (signal.SIGTERM, signal.SIGINT):  # also mid-way: a request or a wait ends at once
        signal.signal(signum, lambda *_: sys.exit(0))
    config = load_config()
    client = Client(config.api_url)
    deadline = time.monotonic() + config.startup_seconds
    try:
        wait_until_up(client, deadline)
        client.log_in(config.email, config.password)
        filled = fill(client, deadline)
        log.info("demo filled: %d registrations and %d check-ins added", filled.registered, filled.checked_in)
    except (Unexpected, OSError) as error:
        log.error("demo not filled: %s", error)
    except Exception:  # noqa: BLE001 - a demo that breaks must not stop the system it demonstrates
        log.exception("demo not filled")
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
