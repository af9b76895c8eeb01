"""Rate-limit storage every service shares. memory:// counts per process
(the embedded default: one process); production sets RATELIMIT_STORAGE_URI,
e.g. redis://redis:6379/0, so every worker and replica counts together."""

from __future__ import annotations

import time
from collections.abc import Mapping

from limits.storage import MemoryStorage, Storage, storage_from_string

MEMORY = "memory://"


class SweptMemoryStorage(MemoryStorage):
    """memory:// that sweeps expired counts at most once a second. The
    library restarts its 10 ms sweeper thread whenever a hit finds it
    finished: under a registration rush, a new thread every request or two.
    Limits stay exact (a count is checked against its expiry on every read);
    the sweep only frees memory."""

    STORAGE_SCHEME = ["eventi-memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    # Overrides the library's private hook, on purpose: requirements.txt pins `limits` exactly.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]  # the private hook above


def storage_uri(uri: str) -> str:
    """The URI to hand to limits/flask-limiter: memory:// becomes the swept kind."""
    return "eventi-memory://" if uri == MEMORY else uri


def open_storage(uri: str) -> Storage:
    storage = storage_from_string(storage_uri(uri))
    if not isinstance(storage, Storage):  # an async:// storage: this code is synchronous
        raise ValueError(f"RATELIMIT_STORAGE_URI: {uri!r} is not a synchronous storage")
    return storage


def enabled(value: object) -> bool:
    return str(value).lower() not in ("0", "false", "no", "off")


def flask_options(limits: Mapping[str, str], flask_config: Mapping) -> dict:
    """The limits as flask-limiter reads them from the app's config; the
    app's config (tests pass some) overrides the configured `limits`."""
    values = {name: flask_config.get(name, value) for name, value in limits.items()}
    values["RATELIMIT_ENABLED"] = enabled(values["RATELIMIT_ENABLED"])
    values["RATELIMIT_HEADERS_ENABLED"] = True
    values["RATELIMIT_STORAGE_URI"] = storage_uri(values["RATELIMIT_STORAGE_URI"])
    return values
