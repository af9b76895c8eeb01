"""Invitations to join an organisation with a role: an owner invites an
e-mail address, notifications sends the secret link
(`organisation.member_invited`), and whoever opens it before it expires
joins, once: logged in with the invited address, or by creating the
account. Only the token's hash is stored. Use cases take a session and never
commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound
from shared.messaging import add_event

from . import accounts, organisation_audit
from .models import Account, Invitation, Membership, Organisation
from .organisations import organisation_for


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def accept_url(public_base_url: str, token: str) -> str:
    return f"{public_base_url}/scheduling/invitations/{token}"


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    token: str  # the secret, known only until the transaction ends (and to the e-mail)


def invite(
    session: Session,
    organiser: Organiser,
    slug: str,
    *,
    email: str,
    role: str,
    locale: str,
    public_base_url: str,
    lifetime: dt.timedelta,
) -> Sent:
    """Owners (and administrators) invite; a newer invitation to the same
    address replaces the pending one, whose link stops working."""
    organisation = organisation_for(session, organiser, slug, "owner", lock=True)
    email = email.strip().lower()
    if _member_by_email(session, organisation.id, email) is not None:
        raise Conflict("this address is already a member of the organisation", field="email")
    now = utcnow()
    for pending in _pending(session, organisation.id, email, now):
        pending.revoked_at = now
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_id=organisation.id,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=organiser.account_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(invitation)
    session.flush()
    organisation_audit.record(
        session,
        organisation.id,
        organiser,
        "member_invited",
        subject_email=email,
        after={"role": role, "expires_at": invitation.expires_at.isoformat()},
    )
    inviter = session.get(Account, organiser.account_id)
    add_event(
        session,
        "organisation.member_invited",
        {
            "invitation_id": invitation.id,
            "organisation": {"organisation_id": organisation.id, "slug": organisation.slug, "name": organisation.name},
            "email": email,
            "role": role,
            "invited_by": {"name": inviter.name if inviter else organiser.email, "email": organiser.email},
            "accept_url": accept_url(public_base_url, token),
            "expires_at": invitation.expires_at,
            "locale": locale,
        },
    )
    return Sent(invitation, token)


def revoke(session: Session, organiser: Organiser, slug: str, invitation_id: str) -> Invitation:
    organisation = organisation_for(session, organiser, slug, "owner", lock=True)
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id or not invitation.pending(utcnow()):
        raise NotFound("no pending invitation with this id", field="invitation_id", location="path")
    invitation.revoked_at = utcnow()
    organisation_audit.record(
        session,
        organisation.id,
        organiser,
        "invitation_revoked",
        subject_email=invitation.email,
        before={"role": invitation.role},
    )
    return invitation


def pending_invitations(session: Session, organisation_id: str) -> list[Invitation]:
    now = utcnow()
    query = select(Invitation).where(Invitation.organisation_id == organisation_id).order_by(Invitation.created_at)
    return [invitation for invitation in session.scalars(query) if invitation.pending(now)]


@dataclass(frozen=True)
class Offer:
    """What the acceptance page shows about an invitation."""

    invitation: Invitation
    organisation: Organisation
    has_account: bool


def offer(session: Session, token: str) -> Offer:
    """The invitation behind a link, refused when spent or expired."""
    invitation = _by_token(session, token)
    invitation.check_usable(utcnow())
    organisation = session.get(Organisation, invitation.organisation_id)
    assert organisation is not None
    has_account = session.scalar(select(Account.id).where(Account.email == invitation.email)) is not None
    return Offer(invitation, organisation, has_account)


def accept(session: Session, token: str, organiser: Organiser) -> Membership:
    """Join as the logged-in organiser, whose e-mail must be the invited one."""
    invitation = _by_token(session, token, lock=True)
    invitation.check_usable(utcnow())
    if organiser.email.strip().lower() != invitation.email:
        raise Forbidden("this invitation is for another e-mail address: log in with that one", field="email")
    return _join(session, invitation, organiser)


def accept_with_new_account(session: Session, token: str, *, name: str, password: str) -> Membership:
    """Join by creating the invited address's account (its password hashed
    like every account's); an address that has an account logs in instead."""
    invitation = _by_token(session, token, lock=True)
    invitation.check_usable(utcnow())
    if session.scalar(select(Account.id).where(Account.email == invitation.email)) is not None:
        raise Conflict("an account with this e-mail exists: log in to accept", field="email")
    account = accounts.create_account(session, email=invitation.email, name=name, password=password)
    return _join(session, invitation, accounts.organiser_of(account))


def _join(session: Session, invitation: Invitation, organiser: Organiser) -> Membership:
    session.scalar(select(Organisation).where(Organisation.id == invitation.organisation_id).with_for_update())
    if _member_by_email(session, invitation.organisation_id, invitation.email) is not None:
        raise Conflict("you are already a member of this organisation", field="token")
    invitation.accept(utcnow())
    membership = Membership(
        account_id=organiser.account_id, organisation_id=invitation.organisation_id, role=invitation.role
    )
    session.add(membership)
    session.flush()
    organisation_audit.record(
        session,
        invitation.organisation_id,
        organiser,
        "member_joined",
        subject_email=invitation.email,
        after={"role": invitation.role},
    )
    return membership


def _by_token(session: Session, token: str, *, lock: bool = False) -> Invitation:
    query = select(Invitation).where(Invitation.token_hash == token_hash(token))
    invitation = session.scalar(query.with_for_update() if lock else query)
    if invitation is None:
        raise NotFound("no invitation behind this link", field="token", location="path")
    return invitation


def _pending(session: Session, organisation_id: str, email: str, now: dt.datetime) -> list[Invitation]:
    query = select(Invitation).where(Invitation.organisation_id == organisation_id, Invitation.email == email)
    return [invitation for invitation in session.scalars(query) if invitation.pending(now)]


def _member_by_email(session: Session, organisation_id: str, email: str) -> Membership | None:
    return session.scalar(
        select(Membership)
        .join(Account, Account.id == Membership.account_id)
        .where(Membership.organisation_id == organisation_id, Account.email == email)
    )
