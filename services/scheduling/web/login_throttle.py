"""Failed logins slow guessing down: after too many failures for one account
(from anywhere) or from one client address (for any account), further
attempts are refused with 429 until the window moves on, before the password
is even checked. Counts live in the shared rate-limit storage
(RATELIMIT_STORAGE_URI), so every worker and replica sees the same ones."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.strategies import MovingWindowRateLimiter

from shared.errors import TooManyRequests, Unauthorized
from shared.web.ratelimit import enabled, open_storage

from ..config import SchedulingConfig

EXTENSION = "login_throttle"
T = TypeVar("T")


class LoginThrottle:
    def __init__(self, storage_uri: str, *, per_account: str, per_address: str, enabled: bool = True):
        self.limiter = MovingWindowRateLimiter(open_storage(storage_uri))
        self.per_account = parse_many(per_account)
        self.per_address = parse_many(per_address)
        self.enabled = enabled

    def check(self, email: str, address: str) -> None:
        """TooManyRequests if this account or this address failed too often lately."""
        if not self.enabled:
            return
        for item, key in self._counted(email, address):
            if not self.limiter.test(item, key):
                reset_at, _remaining = self.limiter.get_window_stats(item, key)
                wait = max(1, math.ceil(reset_at - time.time()))
                raise TooManyRequests("too many failed logins: try again later", retry_after=wait, field="email")

    def failed(self, email: str, address: str) -> None:
        if self.enabled:
            for item, key in self._counted(email, address):
                self.limiter.hit(item, key)

    def _counted(self, email: str, address: str) -> list[tuple[RateLimitItem, str]]:
        # Hashed: the shared store keeps no e-mail or IP address.
        account = "login-account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
        client = "login-address:" + hashlib.sha256(address.encode()).hexdigest()
        return [(item, account) for item in self.per_account] + [(item, client) for item in self.per_address]


def login_throttle() -> LoginThrottle:
    return current_app.extensions[EXTENSION]


def throttled_login(attempt: Callable[[], T], email: str) -> T:
    """Run `attempt` unless this account or address is over its limit; count it if it fails."""
    throttle, address = login_throttle(), client_address()
    throttle.check(email, address)
    try:
        return attempt()
    except Unauthorized:
        throttle.failed(email, address)
        raise


def install(app: Flask, settings: SchedulingConfig) -> None:
    """The app's config (tests set some) overrides the configured limits."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or settings.settings.ratelimit_storage_uri)
    app.extensions[EXTENSION] = LoginThrottle(
        storage,
        per_account=str(app.config.get("LOGIN_ACCOUNT_LIMIT") or settings.login_account_limit),
        per_address=str(app.config.get("LOGIN_ADDRESS_LIMIT") or settings.login_address_limit),
        enabled=enabled(app.config.get("LOGIN_LIMITS_ENABLED", settings.login_limits_enabled)),
    )


def client_address() -> str:
    return request.remote_addr or ""
