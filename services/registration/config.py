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
class RegistrationConfig:
    settings: Settings
    rate_limits: Mapping[str, str] = field(default_factory=lambda: dict(RATE_LIMIT_DEFAULTS))

    @property
    def public_base_url(self) -> str:
        """Where the secret links in mails and answers point."""
        return self.settings.public_base_url

    @property
    def secret_key(self) -> str:
        """What signs the check-in codes."""
        return self.settings.secret_key


def load_config(settings: Settings, env: Mapping[str, str] | None = None) -> RegistrationConfig:
    """The rate limits from the environment (RATE_LIMIT_DEFAULTS names them), else their defaults."""
    env = os.environ if env is None else env
    limits = {name: env.get(name) or default for name, default in RATE_LIMIT_DEFAULTS.items()}
    # Where the counts live and whom to believe about addresses: every service's settings.
    limits.update(RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri, TRUSTED_PROXIES=settings.trusted_proxies)
    return RegistrationConfig(settings=settings, rate_limits=limits)
