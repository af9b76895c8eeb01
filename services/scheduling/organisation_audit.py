"""The audit log of an organisation: every change to it and its members,
written in the same transaction as the change, read by its owners (and
administrators), never edited. Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.db import utcnow

from .models import AuditEntry

ACTIONS = (
    "organisation_created",
    "member_invited",
    "invitation_revoked",
    "member_joined",
    "role_changed",
    "member_removed",
    "ownership_transferred",
)


def record(
    session: Session,
    organisation_id: str,
    actor: Organiser,
    action: str,
    *,
    subject_email: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    assert action in ACTIONS, action
    entry = AuditEntry(
        organisation_id=organisation_id,
        occurred_at=utcnow(),
        actor_id=actor.account_id,
        actor_email=actor.email,
        action=action,
        subject_email=subject_email,
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, organisation_id: str, *, page: int, page_size: int) -> tuple[list[AuditEntry], int]:
    """Newest first. The caller has checked that the reader owns the organisation."""
    query = select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).offset((page - 1) * page_size).limit(page_size))
    return list(rows), total
