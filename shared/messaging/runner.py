"""A service's worker process: the outbox relay, the consumer (if the service
consumes anything) and any extra loops, stopped cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from .connection import connect
from .consumer import EventConsumer
from .relay import Relay

log = logging.getLogger(__name__)


class Loop(Protocol):
    def run(self) -> None: ...
    def stop(self) -> None: ...


def run_worker(
    settings,
    session_factory,
    *,
    outbox_model,
    inbox_model=None,
    handlers: dict | None = None,
    extra_loops: Sequence[Loop] = (),
) -> None:
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {settings.service}-worker %(levelname)s %(message)s")
    loops: list[Loop] = [Relay(settings, session_factory, outbox_model), *extra_loops]
    threads = [threading.Thread(target=loop.run, name=type(loop).__name__, daemon=True) for loop in loops]
    stop_event = threading.Event()
    consumer: EventConsumer | None = None

    def stop(*_):
        stop_event.set()
        for loop in loops:
            loop.stop()
        if consumer is not None:
            consumer.should_stop = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for thread in threads:
        thread.start()
    log.info("started: %s", ", ".join(t.name for t in threads))
    if handlers:
        with connect(settings.broker_url, settings.bus_dir) as conn:
            consumer = EventConsumer(
                conn, settings=settings, handlers=handlers, session_factory=session_factory, inbox_model=inbox_model
            )
            log.info("consuming queue %s", settings.service)
            consumer.run()
    else:
        stop_event.wait()
    for thread in threads:
        thread.join(timeout=10)
    log.info("stopped")


def every(seconds: float, action: Callable[[], object], name: str) -> Loop:
    """A loop calling `action` every few seconds, surviving its errors."""

    class Periodic:
        def __init__(self):
            self.stopping = threading.Event()

        def run(self):
            while not self.stopping.is_set():
                try:
                    action()
                except Exception:
                    log.exception("%s failed; next try in %ss", name, seconds)
                self.stopping.wait(seconds)

        def stop(self):
            self.stopping.set()

    Periodic.__name__ = name
    return Periodic()
