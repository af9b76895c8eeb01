"""The two addresses of a certificate: the public verification page (its
id is all it takes) and the secret download link of the signed PDF (256
random bits; only the SHA-256 is kept, as with the other secret links)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from .config import NotifyConfig


@dataclass(frozen=True)
class CertificateLinks:
    verification: str
    download: str


def new_download_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def verification_url(config: NotifyConfig, certificate_id: str) -> str:
    return f"{config.settings.public_base_url}/notifications/certificates/{quote(certificate_id, safe='')}"


def certificate_links(config: NotifyConfig, certificate_id: str, token: str) -> CertificateLinks:
    page = verification_url(config, certificate_id)
    return CertificateLinks(verification=page, download=f"{page}/pdf?token={quote(token, safe='')}")
