"""What anyone holding a certificate may learn from its id, and the signed
PDF for whoever holds its download token.

The verification answer is deliberately small (docs/certificates.md): the
state, the holder as first name and surname initial, the event's title and
dates, the hours and credits certified, when it was issued and by which
signature. A revocation says when, and only whether the organiser or the
event's rules revoked it, never the reason. An erased certificate says
"no longer available" and nothing else, so it never reads as forged."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from shared.errors import DomainError, NotFound

from .certificate_links import token_hash
from .models import Certificate

MAX_ID_LENGTH = 36
MAX_TOKEN_LENGTH = 128


class UnknownDownload(NotFound):
    """No certificate PDF behind this id and token."""

    field = "token"
    location = "query"


class CertificateGone(DomainError):
    """The certificate's PDF was deleted with the person's data."""

    status = 410
    field = "certificate_id"
    location = "path"


@dataclass(frozen=True)
class Verification:
    certificate_id: str
    state: str  # valid | revoked | superseded | erased | unknown
    holder: str = ""
    event_title: dict = field(default_factory=dict)
    event_starts_at: dt.datetime | None = None
    event_ends_at: dt.datetime | None = None
    timezone: str = "Europe/Rome"
    hours: float | None = None
    credits: tuple[dict, ...] = ()
    issued_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    revoked_by: str | None = None  # organiser | rules
    signed: bool = False
    self_signed: bool = False
    signer: str = ""
    pdf_sha256: str | None = None

    @property
    def known(self) -> bool:
        return self.state != "unknown"

    def as_json(self) -> dict:
        """The same facts for programs (ISO dates, nothing the page hides)."""
        body: dict = {"certificate_id": self.certificate_id, "state": self.state}
        if self.state in ("unknown", "erased"):
            if self.revoked_at:
                body["no_longer_available_since"] = self.revoked_at.isoformat()
            return body
        if self.revoked_at:
            body.update(revoked_at=_iso(self.revoked_at), revoked_by=self.revoked_by)
        if not self.event_title:
            return body  # revoked before it was made here
        body.update(
            holder=self.holder,
            event={
                "title": self.event_title,
                "starts_at": _iso(self.event_starts_at),
                "ends_at": _iso(self.event_ends_at),
                "timezone": self.timezone,
            },
            hours=self.hours,
            credits=list(self.credits),
            issued_at=_iso(self.issued_at),
            signature={"signed": self.signed, "self_signed": self.self_signed, "signer": self.signer or None},
            pdf_sha256=self.pdf_sha256,
        )
        return body


def verify(session: Session, certificate_id: str) -> Verification:
    certificate = session.get(Certificate, certificate_id) if len(certificate_id) <= MAX_ID_LENGTH else None
    if certificate is None:
        return Verification(certificate_id=certificate_id[:MAX_ID_LENGTH], state="unknown")
    if certificate.status == "erased":
        return Verification(certificate_id=certificate_id, state="erased", revoked_at=certificate.revoked_at)
    if not certificate.event_title:  # revoked before it was made here: nothing to show but that
        return Verification(
            certificate_id=certificate_id,
            state=certificate.status,
            revoked_at=certificate.revoked_at,
            revoked_by=_revoked_by(certificate.revoked_cause),
        )
    return Verification(
        certificate_id=certificate_id,
        state=certificate.status,
        holder=certificate.holder,
        event_title=certificate.event_title,
        event_starts_at=certificate.event_starts_at,
        event_ends_at=certificate.event_ends_at,
        timezone=certificate.timezone,
        hours=certificate.hours,
        credits=tuple(
            {"name": c["name"], "unit": c.get("unit") or "", "amount": c["amount"]} for c in certificate.credits
        ),
        issued_at=certificate.sent_at,
        revoked_at=certificate.revoked_at,
        revoked_by=_revoked_by(certificate.revoked_cause),
        signed=certificate.signed,
        self_signed=certificate.self_signed,
        signer=certificate.signer,
        pdf_sha256=certificate.pdf_sha256,
    )


def signed_pdf(session: Session, certificate_id: str, token: str) -> bytes:
    """The stored PDF, for the holder of the download token only."""
    certificate = session.get(Certificate, certificate_id) if len(certificate_id) <= MAX_ID_LENGTH else None
    if certificate is None or not token or len(token) > MAX_TOKEN_LENGTH:
        raise UnknownDownload("No certificate for this link.")
    if certificate.status == "erased":
        raise CertificateGone("This certificate is no longer available.")
    expected = certificate.download_token_hash or ""
    if not hmac.compare_digest(expected, token_hash(token)) or certificate.pdf is None:
        raise UnknownDownload("No certificate for this link.")
    return certificate.pdf


def _revoked_by(cause: str | None) -> str | None:
    return {"organiser": "organiser", "rules": "rules"}.get(cause or "")


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None
