"""Invitations to join an organisation and the organisation's audit log.
An invitation keeps only the hash of its secret token, so a copy of the
database cannot accept one; the log is written once and never changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UTCDateTime, utcnow
from shared.errors import Conflict, DomainError

from .base import Base, new_id

ROLES = ("owner", "organiser", "checkin")


class InvitationExpired(DomainError):
    status = 410
    field = "token"


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_organisation_email", "organisation_id", "email"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret in the link
    invited_by: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # a newer invitation replaced it

    def pending(self, now: dt.datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def check_usable(self, now: dt.datetime) -> None:
        """Single use: an accepted or replaced invitation is spent (409), an old one expired (410)."""
        if self.accepted_at is not None:
            raise Conflict("this invitation has already been accepted", field="token")
        if self.revoked_at is not None:
            raise Conflict("this invitation was replaced by a newer one", field="token")
        if now >= self.expires_at:
            raise InvitationExpired("this invitation has expired: ask for a new one")

    def accept(self, now: dt.datetime) -> None:
        self.check_usable(now)
        self.accepted_at = now


class AuditEntry(Base):
    """One change to an organisation: who (account and e-mail as they were),
    when, what, and the values before and after."""

    __tablename__ = "organisation_audit"
    __table_args__ = (Index("ix_organisation_audit_organisation_id_id", "organisation_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(36))  # None: an operator's command
    actor_email: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40))
    subject_email: Mapped[str | None] = mapped_column(String(320))  # the member or invitee concerned
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_written_once(mapper, connection, target) -> None:
    raise Conflict("the audit log is never changed", field="audit")
