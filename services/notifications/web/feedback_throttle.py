"""The accessibility feedback form is limited per client address (the one
the trusted proxies report), so it cannot be used to flood the organisers'
mailbox. The counts live in the shared rate-limit storage
(RATELIMIT_STORAGE_URI): every worker and replica counts together."""

from __future__ import annotations

import hashlib
import math
import time

from flask import current_app, request
from limits import parse_many
from limits.strategies import MovingWindowRateLimiter

from shared.errors import TooManyRequests
from shared.web.context import ctx
from shared.web.ratelimit import enabled, open_storage

from .context import config

EXTENSION = "accessibility_feedback_limit"


def check_and_count() -> None:
    """TooManyRequests when this address sent too many reports lately; else count this one."""
    if not enabled(current_app.config.get("RATELIMIT_ENABLED", True)):
        return
    limiter = _limiter()
    key = "feedback-address:" + hashlib.sha256((request.remote_addr or "").encode()).hexdigest()
    for item in parse_many(config().feedback_rate_limit):
        if not limiter.hit(item, key):
            reset_at, _remaining = limiter.get_window_stats(item, key)
            wait = max(1, math.ceil(reset_at - time.time()))
            raise TooManyRequests("too many reports from this address: try again later", retry_after=wait)


def _limiter() -> MovingWindowRateLimiter:
    limiter = current_app.extensions.get(EXTENSION)
    if limiter is None:  # made once per app, on the first report
        storage = str(current_app.config.get("RATELIMIT_STORAGE_URI") or ctx().settings.ratelimit_storage_uri)
        limiter = current_app.extensions[EXTENSION] = MovingWindowRateLimiter(open_storage(storage))
    return limiter
