"""Rate limits on the public endpoints, per client address (flask-limiter).
Storage is memory:// by default (per process); set RATELIMIT_STORAGE_URI,
e.g. redis://127.0.0.1:6379/0, to share the counts between workers and
replicas (shared/web/ratelimit.py). The client's address is the one the
trusted proxies report (TRUSTED_PROXIES, shared/web/proxies.py, installed by
build_app). The values come from the configuration (config.load_config)."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def install(app: Flask, *, registering: list, links: list, self_service: list) -> Limiter:
    """Limit POSTs of the `registering` blueprints, POSTs of `links`, and every call of `self_service`."""
    limiter = Limiter(get_remote_address, app=app)
    config = app.config  # fixed when the app is made: parsed once, not on every request
    for blueprint in registering:
        limiter.limit(config["REGISTRATION_RATE_LIMIT"], methods=["POST"])(blueprint)
    for blueprint in links:
        limiter.limit(config["LINK_RATE_LIMIT"], methods=["POST"])(blueprint)
    for blueprint in self_service:
        limiter.limit(config["SELF_RATE_LIMIT"])(blueprint)
    return limiter
