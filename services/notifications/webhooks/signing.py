"""The signature receivers check: HMAC-SHA256 over "<timestamp>.<body>"
with the endpoint's secret, hex, as `v1=<hex>` (docs/webhooks.md has the
receiver's side of it)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ID_HEADER = "Eventi-Webhook-Id"
TIMESTAMP_HEADER = "Eventi-Webhook-Timestamp"
SIGNATURE_HEADER = "Eventi-Webhook-Signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """32 random bytes, URL-safe; the prefix makes a leaked one easy to spot in logs and scanners."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def signed_headers(secret: str, delivery_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        ID_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
