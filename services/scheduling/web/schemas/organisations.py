"""Request and response schemas of organisations, their members,
invitations and audit log."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.fields import LOCALES
from shared.web.fields import Page, one_line

from ...models import ROLES

ROLE = {"description": "owner, organiser or checkin"}
PASSWORD_LENGTH = validate.Length(min=10, max=200)


def email_field(**kwargs) -> fields.Email:
    return fields.Email(validate=validate.Length(max=320), **kwargs)


class OrganisationIn(Schema):
    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), one_line])
    slug = fields.String(load_default=None, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,79}$"))
    owner_email = email_field(required=True, metadata={"description": "invited as its first owner"})
    locale = fields.String(load_default="it", validate=validate.OneOf(LOCALES), metadata={"description": "of the mail"})


class OrganisationOut(Schema):
    id = fields.String()
    slug = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True, metadata={"description": "the caller's role; null for an administrator"})


class InvitationIn(Schema):
    email = email_field(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES), metadata=ROLE)
    locale = fields.String(load_default="it", validate=validate.OneOf(LOCALES), metadata={"description": "of the mail"})


class InvitationOut(Schema):
    id = fields.String()
    email = fields.String()
    role = fields.String(metadata=ROLE)
    created_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()


class CreatedOrganisationOut(OrganisationOut):
    owner_invitation = fields.Nested(InvitationOut)


class MemberOut(Schema):
    account_id = fields.String()
    email = fields.Function(lambda m: m.account.email)
    name = fields.Function(lambda m: m.account.name)
    role = fields.String(metadata=ROLE)


class TeamOut(Schema):
    organisation = fields.Nested(OrganisationOut)
    members = fields.List(fields.Nested(MemberOut))
    invitations = fields.List(fields.Nested(InvitationOut), metadata={"description": "pending ones"})


class RoleIn(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES), metadata=ROLE)


class TransferIn(Schema):
    account_id = fields.String(required=True, validate=validate.Length(min=1, max=36))


class AuditEntryOut(Schema):
    id = fields.Integer()
    occurred_at = fields.AwareDateTime()
    actor_id = fields.String(allow_none=True)
    actor_email = fields.String()
    action = fields.String()
    subject_email = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class AuditPageOut(Schema):
    items = fields.List(fields.Nested(AuditEntryOut))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


class AuditQuery(Page):
    pass


class OfferOut(Schema):
    organisation = fields.Function(lambda o: {"slug": o.organisation.slug, "name": o.organisation.name})
    email = fields.Function(lambda o: o.invitation.email)
    role = fields.Function(lambda o: o.invitation.role, metadata=ROLE)
    expires_at = fields.Function(lambda o: o.invitation.expires_at.isoformat())
    has_account = fields.Boolean(
        metadata={"description": "true: log in to accept; false: accept with name and password"}
    )


class AcceptIn(Schema):
    """With a bearer token of the invited address: nothing. Without one: the
    new account's name and password."""

    name = fields.String(load_default=None, validate=[validate.Length(min=1, max=200), one_line])
    password = fields.String(load_default=None, validate=PASSWORD_LENGTH)


class JoinedOut(Schema):
    organisation_id = fields.String()
    account_id = fields.String()
    role = fields.String(metadata=ROLE)
