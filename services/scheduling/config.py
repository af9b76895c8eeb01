"""Scheduling's configuration root: `SchedulingConfig` carries the shared
settings (PUBLIC_BASE_URL, the token keys, ...) and scheduling's own options.
Each process builds it once with `load_config` (the only place that reads
scheduling's variables from the environment) and hands it on."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from shared.config import Settings
from shared.errors import Unavailable

# Failed logins allowed before further attempts wait (limits' syntax): per
# account, whatever the address, and per client address, whatever the account.
LOGIN_LIMITS = {
    "LOGIN_ACCOUNT_LIMIT": "5 per minute;20 per hour",
    "LOGIN_ADDRESS_LIMIT": "20 per minute;100 per hour",
}


@dataclass(frozen=True)
class SchedulingConfig:
    settings: Settings
    schedule_lookup_ttl: float = 1.0  # seconds a process trusts its answer to "which version is current?"
    login_account_limit: str = LOGIN_LIMITS["LOGIN_ACCOUNT_LIMIT"]
    login_address_limit: str = LOGIN_LIMITS["LOGIN_ADDRESS_LIMIT"]
    login_limits_enabled: bool = True
    invitation_days: int = 7  # how long a link to join an organisation stays valid

    @property
    def public_base_url(self) -> str:
        return self.settings.public_base_url

    def private_key(self) -> bytes:
        """The token signing key, read on each use (`cli init-keys` may create it after the start)."""
        try:
            return self.settings.jwt_private_key_path.read_bytes()
        except FileNotFoundError:
            raise Unavailable("logins are not possible yet: the token signing key is missing (cli init-keys)") from None

    def with_options(self, **options) -> SchedulingConfig:
        return replace(self, **options)


def load_config(settings: Settings, env: Mapping[str, str] | None = None) -> SchedulingConfig:
    """SCHEDULE_LOOKUP_TTL (1.0 seconds; 0 looks up the current version on every
    request), LOGIN_ACCOUNT_LIMIT and LOGIN_ADDRESS_LIMIT (LOGIN_LIMITS),
    INVITATION_DAYS (7: how long an invitation to an organisation is valid)."""
    env = os.environ if env is None else env
    ttl = env.get("SCHEDULE_LOOKUP_TTL")
    days = env.get("INVITATION_DAYS")
    return SchedulingConfig(
        settings=settings,
        schedule_lookup_ttl=float(ttl) if ttl else 1.0,
        login_account_limit=env.get("LOGIN_ACCOUNT_LIMIT") or LOGIN_LIMITS["LOGIN_ACCOUNT_LIMIT"],
        login_address_limit=env.get("LOGIN_ADDRESS_LIMIT") or LOGIN_LIMITS["LOGIN_ADDRESS_LIMIT"],
        invitation_days=_positive_days(days) if days else 7,
    )


def _positive_days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 90:
        raise ValueError(f"INVITATION_DAYS must be a whole number of days from 1 to 90, not {value!r}")
    return int(value)
