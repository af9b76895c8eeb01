"""An organisation's members as its owners manage them: who they are,
changing a role, removing someone, handing ownership over. The organisation
always keeps an owner: the last one can be neither demoted nor removed
(409). Each change writes its audit row. A member's new role reaches the
event pages and APIs with their next token (tokens carry the roles they were
issued with); member management itself reads the database. Use cases take a
session and never commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from shared.auth import Organiser
from shared.errors import Conflict, Forbidden, NotFound

from . import organisation_audit
from .invitations import pending_invitations
from .models import Account, Invitation, Membership, Organisation
from .organisations import organisation_for


@dataclass(frozen=True)
class Team:
    organisation: Organisation
    members: list[Membership]
    invitations: list[Invitation]  # pending only


def team(session: Session, organiser: Organiser, slug: str) -> Team:
    """Any member may see who is in the organisation; strangers get 404."""
    organisation = organisation_for(session, organiser, slug)
    query = (
        select(Membership)
        .join(Account, Account.id == Membership.account_id)
        .where(Membership.organisation_id == organisation.id)
        .order_by(Account.name, Account.email)
        .options(contains_eager(Membership.account))  # read after the transaction
    )
    return Team(organisation, list(session.scalars(query)), pending_invitations(session, organisation.id))


def change_role(session: Session, organiser: Organiser, slug: str, account_id: str, role: str) -> Membership:
    organisation = organisation_for(session, organiser, slug, "owner", lock=True)
    membership = _member(session, organisation, account_id)
    if membership.role == role:
        return membership
    if membership.role == "owner":
        _keep_an_owner(session, organisation, field="role")
    before = membership.role
    membership.role = role
    organisation_audit.record(
        session,
        organisation.id,
        organiser,
        "role_changed",
        subject_email=membership.account.email,
        before={"role": before},
        after={"role": role},
    )
    return membership


def remove_member(session: Session, organiser: Organiser, slug: str, account_id: str) -> None:
    organisation = organisation_for(session, organiser, slug, "owner", lock=True)
    membership = _member(session, organisation, account_id)
    if membership.role == "owner":
        _keep_an_owner(session, organisation, field="account_id", location="path")
    organisation_audit.record(
        session,
        organisation.id,
        organiser,
        "member_removed",
        subject_email=membership.account.email,
        before={"role": membership.role},
    )
    session.delete(membership)
    session.flush()


def transfer_ownership(session: Session, organiser: Organiser, slug: str, account_id: str) -> Membership:
    """The calling owner hands over: the member becomes owner, the caller organiser."""
    organisation = organisation_for(session, organiser, slug, "owner", lock=True)
    giver = session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.account_id == organiser.account_id
        )
    )
    if giver is None or giver.role != "owner":
        raise Forbidden("only an owner hands ownership over; administrators change roles instead")
    receiver = _member(session, organisation, account_id, location="json")
    if receiver.role == "owner":
        raise Conflict("this member is already an owner", field="account_id")
    before = {"owner": giver.account.email, "new_owner_role": receiver.role}
    giver.role, receiver.role = "organiser", "owner"
    organisation_audit.record(
        session,
        organisation.id,
        organiser,
        "ownership_transferred",
        subject_email=receiver.account.email,
        before=before,
        after={"owner": receiver.account.email, "previous_owner_role": "organiser"},
    )
    session.flush()
    return receiver


def _member(session: Session, organisation: Organisation, account_id: str, location: str = "path") -> Membership:
    membership = session.scalar(
        select(Membership).where(Membership.organisation_id == organisation.id, Membership.account_id == account_id)
    )
    if membership is None:
        raise NotFound("no member with this account id", field="account_id", location=location)
    return membership


def _keep_an_owner(session: Session, organisation: Organisation, *, field: str, location: str = "json") -> None:
    owners = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.organisation_id == organisation.id, Membership.role == "owner")
    )
    if (owners or 0) <= 1:
        raise Conflict(
            "the organisation's last owner can be neither demoted nor removed", field=field, location=location
        )
