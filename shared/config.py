"""Configuration from the environment: the only thing that differs between the
embedded default and production."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import overload

SERVICES = ("scheduling", "registration", "notifications")
DEVELOPMENT_SECRET = "dev-only-secret-change-me"
MIN_SECRET_LENGTH = 32


class InsecureConfiguration(RuntimeError):
    """Production settings without what keeps them safe: the process refuses to start."""


@overload
def _env(name: str, default: str) -> str: ...
@overload
def _env(name: str, default: None = None) -> str | None: ...
def _env(name: str, default: str | None = None) -> str | None:
    """The variable's value; unset and empty both mean the default."""
    value = os.environ.get(name)
    return value if value else default


@dataclass(frozen=True)
class Settings:
    service: str
    var_dir: Path
    database_url: str
    broker_url: str
    smtp_url: str
    public_base_url: str
    mail_from: str
    organizer_email: str
    secret_key: str
    jwt_private_key_path: Path
    jwt_public_key_path: Path
    max_delivery_attempts: int = 5
    retry_delay_ms: int = 2000
    mail_dir: Path = Path("var/mail")  # where the embedded mail catcher keeps every mail as .eml
    trusted_proxies: str = "0"  # shared/web/proxies.py: a count, or the proxies' addresses and networks
    ratelimit_storage_uri: str = "memory://"  # where rate limits count: redis://... in production

    @property
    def embedded(self) -> bool:
        """The embedded default: SQLite files and the filesystem bus, one machine."""
        return self.database_url.startswith("sqlite") and self.broker_url.startswith("filesystem")

    @property
    def bus_dir(self) -> Path:
        return self.var_dir / "bus"

    def with_overrides(self, **overrides) -> Settings:
        return replace(self, **overrides)


def load_settings(service: str, **overrides) -> Settings:
    """Read the settings of one service. Unset variables fall back to the
    embedded default (SQLite files and a filesystem bus under ./var)."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    var_dir = Path(_env("VAR_DIR", "var")).resolve()
    db_default = f"sqlite:///{var_dir / (service + '.db')}"
    settings = Settings(
        service=service,
        var_dir=var_dir,
        database_url=_env(f"{service.upper()}_DATABASE_URL", db_default),
        broker_url=_env("BROKER_URL", "filesystem://"),
        smtp_url=_env("SMTP_URL", "smtp://127.0.0.1:1025"),
        public_base_url=_env("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/"),
        mail_from=_env("MAIL_FROM", "Eventi <noreply@eventi.localhost>"),
        organizer_email=_env("ORGANIZER_EMAIL", "noreply@eventi.localhost"),
        secret_key=_env("SECRET_KEY", DEVELOPMENT_SECRET),
        jwt_private_key_path=Path(_env("JWT_PRIVATE_KEY_FILE", str(var_dir / "keys" / "jwt-private.pem"))),
        jwt_public_key_path=Path(_env("JWT_PUBLIC_KEY_FILE", str(var_dir / "keys" / "jwt-public.pem"))),
        max_delivery_attempts=int(_env("MAX_DELIVERY_ATTEMPTS", "5")),
        retry_delay_ms=int(_env("RETRY_DELAY_MS", "2000")),
        mail_dir=Path(_env("MAIL_CATCHER_DIR", str(var_dir / "mail"))),
        trusted_proxies=_env("TRUSTED_PROXIES", "0"),
        ratelimit_storage_uri=_env("RATELIMIT_STORAGE_URI", "memory://"),
    )
    require_secret_off_the_embedded_default(settings)
    return settings.with_overrides(**overrides) if overrides else settings


def require_secret_off_the_embedded_default(settings: Settings) -> None:
    """The secret signs check-in codes and the forms' CSRF tokens: with the public
    development value anyone could forge them. Off the embedded default (a
    server database or broker), start only with a real one."""
    if settings.embedded:
        return
    if settings.secret_key == DEVELOPMENT_SECRET or len(settings.secret_key) < MIN_SECRET_LENGTH:
        raise InsecureConfiguration(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} characters "
            "when the services run on a server database or broker, e.g. "
            "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
