"""Notifications' configuration root: `NotifyConfig` carries the shared
settings (SMTP_URL, PUBLIC_BASE_URL, ...) and notifications' own options.
Each process builds it once with `load_config` (the only place that reads
notifications' variables from the environment) and hands it on."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from shared.config import Settings

DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SENDING = ("inline", "separate")


def _seconds(env: Mapping[str, str], name: str, default: float) -> dt.timedelta:
    value = env.get(name)
    return dt.timedelta(seconds=float(value if value not in (None, "") else default))


def _date(env: Mapping[str, str], name: str, default: dt.date) -> dt.date:
    value = env.get(name)
    return dt.date.fromisoformat(value) if value else default


@dataclass(frozen=True)
class NotifyConfig:
    settings: Settings
    digest_window: dt.timedelta = dt.timedelta(minutes=10)
    reminder_lead: dt.timedelta = dt.timedelta(hours=24)
    reminder_every: float = 60.0
    starts_soon: dt.timedelta = dt.timedelta(minutes=30)  # the join-link mail before online items
    feed_refresh: dt.timedelta = dt.timedelta(hours=1)
    smtp_connections: int = 1
    organizer_name: str = "Eventi"
    certificate_font: Path | None = field(default=None)
    mail_page_public: bool = False
    sends_inline: bool = True
    sender_poll: float = 1.0
    listen_url: str | None = None  # NOTIFICATIONS_LISTEN_DATABASE_URL; None: the database URL
    webhooks_allow_http: bool = False  # http:// and loopback/private receivers (development, tests)
    webhook_timeout: float = 10.0
    webhook_max_attempts: int = 6
    webhook_disable_after: int = 5  # deliveries failed for good in a row
    webhook_poll: float = 2.0
    # The accessibility statement (AgID model) and where its feedback form's messages go.
    accessibility_contact: str = "noreply@eventi.localhost"  # ACCESSIBILITY_CONTACT_EMAIL; ORGANIZER_EMAIL
    accessibility_statement_date: dt.date = dt.date(2026, 12, 4)
    accessibility_reviewed_date: dt.date = dt.date(2026, 12, 4)
    feedback_rate_limit: str = "5 per hour;20 per day"  # per client address
    # docs/certificates.md: the PKCS#12 that signs certificates (None: unsigned)
    certificate_pkcs12: bytes | None = field(default=None, repr=False)
    certificate_pkcs12_password: bytes | None = field(default=None, repr=False)
    certificate_timestamp_url: str | None = None  # a time-stamping authority (RFC 3161): PAdES B-T

    @property
    def listen_database_url(self) -> str:
        """Where the sender LISTENs: a direct connection to PostgreSQL, never
        through a pooler in transaction mode, which would hand the LISTEN and
        the wait for notifications to different server connections."""
        return self.listen_url or self.settings.database_url

    @property
    def starts_soon_minutes(self) -> int:
        return int(self.starts_soon.total_seconds() // 60)

    @property
    def host(self) -> str:
        """The UID domain: the host of PUBLIC_BASE_URL."""
        base = self.settings.public_base_url
        return base.split("://", 1)[-1].split("/")[0].split(":")[0] or "eventi.localhost"

    def with_options(self, **options) -> NotifyConfig:
        return replace(self, **options)


def load_config(settings: Settings, env: Mapping[str, str] | None = None) -> NotifyConfig:
    """DIGEST_WINDOW_SECONDS (600), REMINDER_LEAD_SECONDS (86400),
    REMINDER_EVERY_SECONDS (60), STARTS_SOON_MINUTES (30: the "starts soon"
    mail with the join link before online and hybrid items), FEED_REFRESH_SECONDS (3600),
    SMTP_CONNECTIONS (1), ORGANIZER_NAME (Eventi), CERTIFICATE_FONT (a TTF;
    DejaVu Sans when installed, else the PDF core font), MAIL_PAGE_PUBLIC
    (1: the mail page answers), NOTIFICATIONS_SENDER (inline: the worker
    sends; separate: sender processes do), SENDER_POLL_SECONDS (1),
    NOTIFICATIONS_LISTEN_DATABASE_URL (the sender's LISTEN connection;
    NOTIFICATIONS_DATABASE_URL when unset). Webhooks (docs/webhooks.md):
    WEBHOOKS_ALLOW_HTTP (1: http:// and loopback or private receivers;
    on by default only on the embedded default), WEBHOOK_TIMEOUT_SECONDS (10),
    WEBHOOK_MAX_ATTEMPTS (6), WEBHOOK_DISABLE_AFTER (5 deliveries failed for
    good in a row), WEBHOOK_POLL_SECONDS (2). Signed certificates
    (docs/certificates.md): CERTIFICATE_PKCS12_FILE or CERTIFICATE_PKCS12_BASE64
    (on the embedded default: the self-signed var/keys/certificate-signing.p12
    that `make setup` creates), CERTIFICATE_PKCS12_PASSWORD,
    CERTIFICATE_TIMESTAMP_URL (a time-stamping authority; none by default).
    The accessibility statement: ACCESSIBILITY_CONTACT_EMAIL (where feedback
    goes; ORGANIZER_EMAIL), ACCESSIBILITY_STATEMENT_DATE and
    ACCESSIBILITY_REVIEWED_DATE (YYYY-MM-DD: written, last reviewed),
    ACCESSIBILITY_FEEDBACK_RATE_LIMIT (5 per hour;20 per day, per client address)."""
    env = os.environ if env is None else env
    font = env.get("CERTIFICATE_FONT") or (str(DEFAULT_FONT) if DEFAULT_FONT.exists() else "")
    sending = (env.get("NOTIFICATIONS_SENDER") or "inline").strip().lower()
    if sending not in SENDING:
        raise ValueError(f"NOTIFICATIONS_SENDER must be inline or separate, not {sending!r}")
    return NotifyConfig(
        settings=settings,
        digest_window=_seconds(env, "DIGEST_WINDOW_SECONDS", 600),
        reminder_lead=_seconds(env, "REMINDER_LEAD_SECONDS", 86400),
        reminder_every=_seconds(env, "REMINDER_EVERY_SECONDS", 60).total_seconds(),
        starts_soon=dt.timedelta(minutes=float(env.get("STARTS_SOON_MINUTES") or 30)),
        feed_refresh=_seconds(env, "FEED_REFRESH_SECONDS", 3600),
        smtp_connections=max(1, int(env.get("SMTP_CONNECTIONS") or 1)),
        organizer_name=env.get("ORGANIZER_NAME") or "Eventi",
        certificate_font=Path(font) if font else None,
        mail_page_public=env.get("MAIL_PAGE_PUBLIC") == "1",
        sends_inline=sending == "inline",
        sender_poll=float(env.get("SENDER_POLL_SECONDS") or 1.0),
        listen_url=env.get("NOTIFICATIONS_LISTEN_DATABASE_URL") or None,
        webhooks_allow_http=env.get("WEBHOOKS_ALLOW_HTTP", "1" if settings.embedded else "0") == "1",
        webhook_timeout=float(env.get("WEBHOOK_TIMEOUT_SECONDS") or 10.0),
        webhook_max_attempts=max(1, int(env.get("WEBHOOK_MAX_ATTEMPTS") or 6)),
        webhook_disable_after=max(1, int(env.get("WEBHOOK_DISABLE_AFTER") or 5)),
        webhook_poll=float(env.get("WEBHOOK_POLL_SECONDS") or 2.0),
        accessibility_contact=env.get("ACCESSIBILITY_CONTACT_EMAIL") or settings.organizer_email,
        accessibility_statement_date=_date(env, "ACCESSIBILITY_STATEMENT_DATE", dt.date(2026, 12, 4)),
        accessibility_reviewed_date=_date(env, "ACCESSIBILITY_REVIEWED_DATE", dt.date(2026, 12, 4)),
        feedback_rate_limit=env.get("ACCESSIBILITY_FEEDBACK_RATE_LIMIT") or "5 per hour;20 per day",
        certificate_pkcs12=_signing_pkcs12(env, settings),
        certificate_pkcs12_password=(env.get("CERTIFICATE_PKCS12_PASSWORD") or "").encode() or None,
        certificate_timestamp_url=env.get("CERTIFICATE_TIMESTAMP_URL") or None,
    )


def default_signing_file(settings: Settings) -> Path:
    """Where `make setup` puts the embedded default's self-signed signing key."""
    return settings.var_dir / "keys" / "certificate-signing.p12"


def _signing_pkcs12(env: Mapping[str, str], settings: Settings) -> bytes | None:
    """The operator's PKCS#12 (a file, or base64 for secret stores that hold
    text); on the embedded default, the one setup made. Unreadable -> the
    process does not start."""
    if env.get("CERTIFICATE_PKCS12_BASE64"):
        try:
            return base64.b64decode(env["CERTIFICATE_PKCS12_BASE64"], validate=True)
        except binascii.Error:
            raise ValueError("CERTIFICATE_PKCS12_BASE64 is not valid base64") from None
    if env.get("CERTIFICATE_PKCS12_FILE"):
        return Path(env["CERTIFICATE_PKCS12_FILE"]).read_bytes()
    default = default_signing_file(settings)
    return default.read_bytes() if settings.embedded and default.exists() else None
