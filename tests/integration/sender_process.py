"""A separate sender process (`python -m services.notifications.worker.sender`)
for tests: started with the given environment, returned once it listens and
its first, empty round is over; stopped afterwards."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_sender(log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """`env` overrides the inherited environment, from which every *_DATABASE_URL is dropped."""
    environment = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    environment.update(PYTHONPATH=str(ROOT), SMTP_CONNECTIONS="1", **env)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.notifications.worker.sender"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        wait_for(lambda: "listening on" in log.read_text() or process.poll() is not None, timeout=30, what="LISTEN")
        assert process.poll() is None, log.read_text()
        time.sleep(0.5)  # its first (empty) round is over: it now waits for a NOTIFY or the poll
        yield process
    finally:
        process.terminate()
        process.wait(timeout=15)
