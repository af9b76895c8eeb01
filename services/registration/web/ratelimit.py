"""Rate limits on the public endpoints, per client address (flask-limiter).
Storage is memory:// by default (per process); set RATELIMIT_STORAGE_URI,
e.g. redis://127.0.0.1:6379/0, to share the counts between workers and
replicas. Behind a proxy set TRUSTED_PROXIES (the number of proxies that
append to X-Forwarded-For) so the client's address is the one counted.
The values come from the configuration (config.load_config reads them)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage
from werkzeug.middleware.proxy_fix import ProxyFix


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


def flask_options(limits: Mapping[str, str], flask_config: Mapping) -> dict:
    """The limits as flask-limiter reads them from the app's config; the
    app's config (tests pass some) overrides the configured `limits`."""
    values = {name: flask_config.get(name, value) for name, value in limits.items()}
    values["RATELIMIT_ENABLED"] = str(values["RATELIMIT_ENABLED"]).lower() not in ("0", "false", "no", "off")
    values["RATELIMIT_HEADERS_ENABLED"] = True
    if values["RATELIMIT_STORAGE_URI"] == "memory://":
        values["RATELIMIT_STORAGE_URI"] = "eventi-memory://"  # SweptMemoryStorage
    return values


def install(app: Flask, *, registering: list, links: list, self_service: list) -> Limiter:
    """Limit POSTs of the `registering` blueprints, POSTs of `links`, and every call of `self_service`."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
    limiter = Limiter(get_remote_address, app=app)
    config = app.config  # fixed when the app is made: parsed once, not on every request
    for blueprint in registering:
        limiter.limit(config["REGISTRATION_RATE_LIMIT"], methods=["POST"])(blueprint)
    for blueprint in links:
        limiter.limit(config["LINK_RATE_LIMIT"], methods=["POST"])(blueprint)
    for blueprint in self_service:
        limiter.limit(config["SELF_RATE_LIMIT"])(blueprint)
    return limiter
