"""A person's training record: the secret links to it (asked for by e-mail,
they expire) and, per certificate, what notifications answered in
certificate.issued (where to verify and download the signed PDF). Hours,
credits and revocations are the certificates' own (models/certificate.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow

from .base import Base


class RecordLink(Base):
    __tablename__ = "record_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CertificateDownload(Base):
    """One per certificate id. No foreign key: certificate.issued may arrive
    after the registration was erased (then it is dropped)."""

    __tablename__ = "certificate_downloads"

    certificate_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    registration_id: Mapped[str] = mapped_column(String(36), index=True)
    download_url: Mapped[str] = mapped_column(String(1000))  # secret
    verification_url: Mapped[str] = mapped_column(String(1000))
    signed: Mapped[bool] = mapped_column(Boolean, default=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
