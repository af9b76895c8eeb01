"""Scheduling's JSON API for organisations: administrators create them,
owners invite members by e-mail, change their roles, remove them, hand
ownership over and read the audit log; an invitation's link is accepted
here too. Load schema -> one use case -> dump schema."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.errors import Unprocessable
from shared.web.context import current_organiser, transaction
from shared.web.fields import documented_errors

from ... import invitations, members, organisation_audit, organisations
from ..context import config
from ..schemas.organisations import (
    AcceptIn,
    AuditPageOut,
    AuditQuery,
    CreatedOrganisationOut,
    InvitationIn,
    InvitationOut,
    JoinedOut,
    MemberOut,
    OfferOut,
    OrganisationIn,
    OrganisationOut,
    RoleIn,
    TeamOut,
    TransferIn,
)

blp = Blueprint(
    "organisations", __name__, url_prefix="/api/v1", description="Organisations, members, invitations, audit log"
)
E403 = "Only the organisation's owners (or administrators) may do this"
E404 = "No such organisation, or one the caller is no member of"
LAST_OWNER = "The organisation's last owner can be neither demoted nor removed"


@blp.route("/organisations")
class Organisations(MethodView):
    @blp.response(200, OrganisationOut(many=True))
    @documented_errors(blp, 401)
    def get(self):
        """The caller's organisations with their role (administrators: all)."""
        organiser = current_organiser()
        with transaction() as session:
            rows = organisations.visible_organisations(session, organiser)
            return [_organisation_view(organisation, role) for organisation, role in rows]

    @blp.arguments(OrganisationIn())
    @blp.response(201, CreatedOrganisationOut)
    @documented_errors(
        blp, 400, 401, 403, 409, 422, e403="Only administrators create organisations", e409="The slug is taken"
    )
    def post(self, data):
        """Create an organisation (administrators) and invite its first owner by e-mail."""
        organiser = current_organiser()
        with transaction() as session:
            organisation = organisations.create_organisation(session, organiser, data["name"], data["slug"])
            sent = _invite(session, organiser, organisation.slug, data["owner_email"], "owner", data["locale"])
            return {**_organisation_view(organisation, None), "owner_invitation": sent.invitation}


@blp.route("/organisations/<organisation>/members")
class Members(MethodView):
    @blp.response(200, TeamOut)
    @documented_errors(blp, 401, 404, e404=E404)
    def get(self, organisation):
        """Members with their roles and the pending invitations (any member may read)."""
        organiser = current_organiser()
        with transaction() as session:
            team = members.team(session, organiser, organisation)
            role = organisations.role_in(session, team.organisation.id, organiser.account_id)
            return {
                "organisation": _organisation_view(team.organisation, role),
                "members": team.members,
                "invitations": team.invitations,
            }


@blp.route("/organisations/<organisation>/members/<account_id>")
class Member(MethodView):
    @blp.arguments(RoleIn())
    @blp.response(200, MemberOut)
    @documented_errors(blp, 400, 401, 403, 404, 409, 422, e403=E403, e404=E404, e409=LAST_OWNER)
    def patch(self, data, organisation, account_id):
        """Change a member's role. It reaches the member's event pages and API at
        their next login: a token keeps the roles it was issued with."""
        organiser = current_organiser()
        with transaction() as session:
            return members.change_role(session, organiser, organisation, account_id, data["role"])

    @blp.response(204)
    @documented_errors(blp, 401, 403, 404, 409, e403=E403, e404=E404, e409=LAST_OWNER)
    def delete(self, organisation, account_id):
        """Remove a member from the organisation."""
        organiser = current_organiser()
        with transaction() as session:
            members.remove_member(session, organiser, organisation, account_id)


@blp.route("/organisations/<organisation>/transfer")
class Transfer(MethodView):
    @blp.arguments(TransferIn())
    @blp.response(200, MemberOut)
    @documented_errors(
        blp,
        400,
        401,
        403,
        404,
        409,
        422,
        e403="Only an owner of the organisation hands ownership over",
        e404="No such organisation, or no such member in it",
        e409="The member is already an owner",
    )
    def post(self, data, organisation):
        """Hand ownership over: the member becomes owner, the calling owner organiser."""
        organiser = current_organiser()
        with transaction() as session:
            return members.transfer_ownership(session, organiser, organisation, data["account_id"])


@blp.route("/organisations/<organisation>/invitations")
class Invitations(MethodView):
    @blp.arguments(InvitationIn())
    @blp.response(201, InvitationOut)
    @documented_errors(blp, 400, 401, 403, 404, 409, 422, e403=E403, e404=E404, e409="The address is already a member")
    def post(self, data, organisation):
        """Invite an e-mail address with a role: it gets a link that works once,
        for INVITATION_DAYS days; a newer invitation to it replaces the pending one."""
        organiser = current_organiser()
        with transaction() as session:
            return _invite(session, organiser, organisation, data["email"], data["role"], data["locale"]).invitation


@blp.route("/organisations/<organisation>/invitations/<invitation_id>")
class Invitation(MethodView):
    @blp.response(204)
    @documented_errors(blp, 401, 403, 404, e403=E403, e404="No such organisation, or no pending invitation")
    def delete(self, organisation, invitation_id):
        """Withdraw a pending invitation: its link stops working."""
        organiser = current_organiser()
        with transaction() as session:
            invitations.revoke(session, organiser, organisation, invitation_id)


@blp.route("/organisations/<organisation>/audit")
class Audit(MethodView):
    @blp.arguments(AuditQuery(), location="query")
    @blp.response(200, AuditPageOut)
    @documented_errors(blp, 401, 403, 404, 422, e403=E403, e404=E404)
    def get(self, query, organisation):
        """The organisation's audit log, newest first (owners and administrators)."""
        organiser = current_organiser()
        with transaction() as session:
            found = organisations.organisation_for(session, organiser, organisation, "owner")
            items, total = organisation_audit.entries(
                session, found.id, page=query["page"], page_size=query["page_size"]
            )
            return {"items": items, "total": total, "page": query["page"], "page_size": query["page_size"]}


@blp.route("/invitations/<token>")
class InvitationOffer(MethodView):
    @blp.response(200, OfferOut)
    @documented_errors(
        blp,
        404,
        409,
        410,
        e404="No invitation behind this link",
        e409="The invitation was accepted or replaced",
        e410="The invitation has expired",
    )
    def get(self, token):
        """What an invitation's link offers (the token is the secret of the link)."""
        with transaction() as session:
            return invitations.offer(session, token)


@blp.route("/invitations/<token>/accept")
class AcceptInvitation(MethodView):
    @blp.arguments(AcceptIn())
    @blp.response(201, JoinedOut)
    @documented_errors(
        blp,
        400,
        401,
        403,
        404,
        409,
        410,
        422,
        e401="A bearer token was sent and it is not valid",
        e403="The bearer token is of another e-mail address than the invited one",
        e404="No invitation behind this link",
        e409="The invitation was accepted or replaced, or the address has an account (log in and accept)",
        e410="The invitation has expired",
        e422="Without a bearer token, `name` and `password` (10 to 200 characters) are required",
    )
    def post(self, data, token):
        """Accept: with a bearer token of the invited address, or without one by
        creating that address's account (`name`, `password`). Log in again
        afterwards: the new role is in the next token."""
        with transaction() as session:
            if request.headers.get("Authorization"):
                return invitations.accept(session, token, current_organiser())
            for field in ("name", "password"):
                if not data.get(field):
                    raise Unprocessable("required to create your account", field=field)
            return invitations.accept_with_new_account(session, token, name=data["name"], password=data["password"])


def _invite(session, organiser, slug: str, email: str, role: str, locale: str) -> invitations.Sent:
    return invitations.invite(
        session,
        organiser,
        slug,
        email=email,
        role=role,
        locale=locale,
        public_base_url=config().public_base_url,
        lifetime=dt.timedelta(days=config().invitation_days),
    )


def _organisation_view(organisation, role: str | None) -> dict:
    return {"id": organisation.id, "slug": organisation.slug, "name": organisation.name, "role": role}
