"""Registration's configuration root: `RegistrationConfig` carries the shared
settings (PUBLIC_BASE_URL, SECRET_KEY, ...) and registration's own options,
the rate limits of its public endpoints. Each process builds it once with
`load_config` (the only place that reads registration's variables from the
environment) and hands on what each use case needs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.config import Settings

# Rate limits on the public endpoints (flask-limiter's syntax), per client address.
RATE_LIMIT_DEFAULTS = {
    "RATELIMIT_ENABLED": "true",
    "REGISTRATION_RATE_LIMIT": "20 per minute;200 per hour",  # registering, also through the HTML form
    "LINK_RATE_LIMIT": "5 per minute;30 per hour",  # "send me my link again"
    "SELF_RATE_LIMIT": "120 per minute",  # anything behind a secret link
}


@dataclass(frozen=True)
class DataController:
    """Who answers for the data, as the privacy notices name them."""

    name: str = "Eventi"
    email: str = "noreply@eventi.localhost"
    address: str = ""
    log_days: int = 30  # how long the servers' access logs are kept (the operator's log rotation)


@dataclass(frozen=True)
class RegistrationConfig:
    settings: Settings
    rate_limits: Mapping[str, str] = field(default_factory=lambda: dict(RATE_LIMIT_DEFAULTS))
    controller: DataController = field(default_factory=DataController)

    @property
    def public_base_url(self) -> str:
        """Where the secret links in mails and answers point."""
        return self.settings.public_base_url

    @property
    def secret_key(self) -> str:
        """What signs the check-in codes."""
        return self.settings.secret_key


def load_config(settings: Settings, env: Mapping[str, str] | None = None) -> RegistrationConfig:
    """The rate limits from the environment (RATE_LIMIT_DEFAULTS names them), else their defaults;
    the data controller the privacy notices name: PRIVACY_CONTROLLER_NAME (ORGANIZER_NAME, else
    Eventi), PRIVACY_CONTROLLER_EMAIL (ORGANIZER_EMAIL), PRIVACY_CONTROLLER_ADDRESS, and
    ACCESS_LOG_DAYS (30: how long the operator keeps access logs)."""
    env = os.environ if env is None else env
    limits = {name: env.get(name) or default for name, default in RATE_LIMIT_DEFAULTS.items()}
    # Where the counts live and whom to believe about addresses: every service's settings.
    limits.update(RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri, TRUSTED_PROXIES=settings.trusted_proxies)
    controller = DataController(
        name=env.get("PRIVACY_CONTROLLER_NAME") or env.get("ORGANIZER_NAME") or "Eventi",
        email=env.get("PRIVACY_CONTROLLER_EMAIL") or settings.organizer_email,
        address=env.get("PRIVACY_CONTROLLER_ADDRESS") or "",
        log_days=int(env.get("ACCESS_LOG_DAYS") or 30),
    )
    return RegistrationConfig(settings=settings, rate_limits=limits, controller=controller)
