"""Organisations as their owners and administrators manage them: creating
one (administrators), listing them, and finding the one a request names with
the caller's authority over it. Authority is read from the memberships in the
database, not from the token, so a demoted or removed owner loses it at once
(other permissions, such as editing events, follow the token's roles and
change at the caller's next login). Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.errors import Forbidden, NotFound

from . import accounts, organisation_audit
from .models import Membership, Organisation


def create_organisation(session: Session, organiser: Organiser, name: str, slug: str | None) -> Organisation:
    """Administrators only; its first owner is then invited (invitations.invite)."""
    if not organiser.is_admin:
        raise Forbidden("only administrators create organisations")
    organisation = accounts.create_organisation(session, name, slug)
    organisation_audit.record(
        session, organisation.id, organiser, "organisation_created", after={"name": name, "slug": organisation.slug}
    )
    return organisation


def visible_organisations(session: Session, organiser: Organiser) -> list[tuple[Organisation, str | None]]:
    """Every organisation with the caller's role in it (None for an administrator
    who is no member); administrators see all, others those they belong to."""
    query = (
        select(Organisation, Membership.role)
        .outerjoin(
            Membership,
            (Membership.organisation_id == Organisation.id) & (Membership.account_id == organiser.account_id),
        )
        .order_by(Organisation.name)
    )
    if not organiser.is_admin:
        query = query.where(Membership.id.is_not(None))
    return [(organisation, role) for organisation, role in session.execute(query)]


def role_in(session: Session, organisation_id: str, account_id: str) -> str | None:
    return session.scalar(
        select(Membership.role).where(
            Membership.organisation_id == organisation_id, Membership.account_id == account_id
        )
    )


def organisation_for(
    session: Session, organiser: Organiser, slug: str, *roles: str, lock: bool = False
) -> Organisation:
    """The organisation `slug` for a caller holding one of `roles` in it (any
    role when none is given), or an administrator. To a non-member it answers
    as one that does not exist (404), so other organisations cannot even be
    told apart from nothing; a member without the role gets 403. `lock`
    serialises changes to its members (the last owner is checked under it)."""
    query = select(Organisation).where(Organisation.slug == slug)
    organisation = session.scalar(query.with_for_update() if lock else query)
    missing = NotFound(f"no organisation {slug!r}", field="organisation", location="path")
    if organisation is None:
        raise missing
    if organiser.is_admin:
        return organisation
    role = role_in(session, organisation.id, organiser.account_id)
    if role is None:
        raise missing
    if roles and role not in roles:
        raise Forbidden("only the organisation's owners may do this")
    return organisation
