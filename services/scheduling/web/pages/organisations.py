"""Organiser pages for organisations: the list (administrators create
organisations there), an organisation's members (owners invite, change
roles, remove, hand ownership over), its audit log, and the page behind an
invitation's link. The same schemas and use cases as the JSON API."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.auth import organiser_required, set_organiser_cookie, web_organiser
from shared.web.context import transaction
from shared.web.forms import errors_of, text
from shared.web.i18n import current_language, translate
from shared.web.pages import html_errors

from ... import accounts, invitations, members, organisation_audit, organisations
from ..context import config
from ..schemas.organisations import AcceptIn, InvitationIn, OrganisationIn, RoleIn, TransferIn

bp = html_errors(Blueprint("organisation_pages", __name__))
AUDIT_PAGE = 50


def said(exc: DomainError | ValidationError) -> str:
    """The refusal as the page says it (a use case's message in the page's language)."""
    if isinstance(exc, DomainError) and exc.message in REFUSALS:
        return translate(REFUSALS[exc.message])
    return next(iter(errors_of(exc).values()))


REFUSALS = {
    "the organisation's last owner can be neither demoted nor removed": (
        "L'ultimo titolare non può essere rimosso né cambiare ruolo: prima nomina un altro titolare."
    ),
    "this address is already a member of the organisation": "Questo indirizzo fa già parte dell'organizzazione.",
    "this member is already an owner": "Questa persona è già titolare.",
    "only the organisation's owners may do this": "Solo i titolari dell'organizzazione possono farlo.",
    "only an owner hands ownership over; administrators change roles instead": (
        "Solo un titolare può cedere la titolarità; gli amministratori cambiano i ruoli."
    ),
    "this invitation has already been accepted": "Questo invito è già stato accettato.",
    "this invitation was replaced by a newer one": "Questo invito è stato sostituito da uno più recente.",
    "this invitation has expired: ask for a new one": "Questo invito è scaduto: chiedine uno nuovo.",
    "this invitation is for another e-mail address: log in with that one": (
        "Questo invito è per un altro indirizzo e-mail: accedi con quello."
    ),
    "an account with this e-mail exists: log in to accept": (
        "Esiste già un account con questo indirizzo: accedi per accettare."
    ),
    "you are already a member of this organisation": "Fai già parte di questa organizzazione.",
}


# --- the list ----------------------------------------------------------------------


@bp.route("/organiser/organisations/", methods=["GET", "POST"])
@organiser_required
def organisation_list(organiser):
    form, errors, status = request.form if request.method == "POST" else {"locale": current_language()}, {}, 200
    if request.method == "POST":
        try:
            data = OrganisationIn().load(
                {
                    "name": (form.get("name") or "").strip(),
                    "slug": text(form, "slug"),
                    "owner_email": (form.get("owner_email") or "").strip(),
                    "locale": form.get("locale") or "it",
                }
            )
            with transaction() as session:
                created = organisations.create_organisation(session, organiser, data["name"], data["slug"])
                _invite(session, organiser, created.slug, data["owner_email"], "owner", data["locale"])
                slug = created.slug
            flash(translate("Organizzazione creata: abbiamo invitato il titolare per e-mail."))
            return redirect(url_for(".organisation_members", organisation=slug), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = errors_of(exc), 422
    with transaction() as session:
        rows = organisations.visible_organisations(session, organiser)
    return render_template(
        "organiser/organisations.html", rows=rows, form=form, errors=errors, is_admin=organiser.is_admin
    ), status


# --- members -----------------------------------------------------------------------


@bp.get("/organiser/organisations/<organisation>/")
@organiser_required
def organisation_members(organiser, organisation):
    return _members_page(organiser, organisation, {"role": "organiser", "locale": current_language()}, {}, 200)


def _members_page(organiser, organisation: str, form, errors: dict, status: int):
    with transaction() as session:
        team = members.team(session, organiser, organisation)
        role = organisations.role_in(session, team.organisation.id, organiser.account_id)
    return render_template(
        "organiser/organisation_members.html",
        team=team,
        manages=organiser.is_admin or role == "owner",
        my_role=role,
        me=organiser.account_id,
        form=form,
        errors=errors,
    ), status


@bp.post("/organiser/organisations/<organisation>/invite")
@organiser_required
def invite(organiser, organisation):
    form = request.form
    try:
        data = InvitationIn().load(
            {
                "email": (form.get("email") or "").strip(),
                "role": form.get("role") or "",
                "locale": form.get("locale") or "it",
            }
        )
        with transaction() as session:
            _invite(session, organiser, organisation, data["email"], data["role"], data["locale"])
    except ValidationError as exc:
        return _members_page(organiser, organisation, form, errors_of(exc), 422)
    except DomainError as exc:
        if exc.status == 404:
            raise
        return _members_page(organiser, organisation, form, {exc.field or "email": said(exc)}, exc.status)
    flash(translate("Invito inviato a %(email)s.", email=data["email"]))
    return _back(organisation)


@bp.post("/organiser/organisations/<organisation>/members/<account_id>/<any(role, remove):action>")
@organiser_required
def change_member(organiser, organisation, account_id, action):
    try:
        with transaction() as session:
            if action == "role":
                role = RoleIn().load({"role": request.form.get("role") or ""})["role"]
                members.change_role(session, organiser, organisation, account_id, role)
                flash(translate("Ruolo cambiato. Vale dal prossimo accesso della persona."))
            else:
                members.remove_member(session, organiser, organisation, account_id)
                flash(translate("Persona rimossa dall'organizzazione."))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status == 404:
            raise
        flash(said(exc), "error")
    return _back(organisation)


@bp.post("/organiser/organisations/<organisation>/transfer")
@organiser_required
def transfer(organiser, organisation):
    try:
        account_id = TransferIn().load({"account_id": request.form.get("account_id") or ""})["account_id"]
        with transaction() as session:
            members.transfer_ownership(session, organiser, organisation, account_id)
        flash(translate("Titolarità ceduta: ora sei organizzatore."))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status == 404:
            raise
        flash(said(exc), "error")
    return _back(organisation)


@bp.post("/organiser/organisations/<organisation>/invitations/<invitation_id>/withdraw")
@organiser_required
def withdraw(organiser, organisation, invitation_id):
    with transaction() as session:
        invitations.revoke(session, organiser, organisation, invitation_id)
    flash(translate("Invito ritirato: il link non funziona più."))
    return _back(organisation)


# --- the audit log -----------------------------------------------------------------


@bp.get("/organiser/organisations/<organisation>/audit")
@organiser_required
def audit(organiser, organisation):
    page = request.args.get("page", "1")
    page_number = int(page) if page.isdigit() and 0 < int(page) <= 10000 else 1
    with transaction() as session:
        found = organisations.organisation_for(session, organiser, organisation, "owner")
        entries, total = organisation_audit.entries(session, found.id, page=page_number, page_size=AUDIT_PAGE)
    return render_template(
        "organiser/organisation_audit.html",
        organisation=found,
        entries=entries,
        page=page_number,
        pages=max(1, -(-total // AUDIT_PAGE)),
    )


# --- the invitation's link -------------------------------------------------------


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    """Anyone with the link: logged in with the invited address, a button;
    without an account, a form to create it; otherwise, log in first."""
    organiser = web_organiser()
    try:
        with transaction() as session:
            offer = invitations.offer(session, token)
    except DomainError as exc:
        return render_template("invitation.html", offer=None, refusal=said(exc), form={}, errors={}), exc.status
    form, errors, status = request.form if request.method == "POST" else {}, {}, 200
    if request.method == "POST":
        try:
            with transaction() as session:
                if organiser is not None:
                    membership = invitations.accept(session, token, organiser)
                else:
                    membership = invitations.accept_with_new_account(session, token, **_new_account(form))
                cookie = accounts.fresh_token(session, membership.account_id, private_key=config().private_key)
            response = redirect(url_for(".organisation_members", organisation=offer.organisation.slug), code=303)
            set_organiser_cookie(response, cookie, config().public_base_url)
            flash(translate("Benvenuto in %(name)s.", name=offer.organisation.name))
            return response
        except ValidationError as exc:
            errors, status = errors_of(exc), 422
        except DomainError as exc:
            errors, status = {exc.field or "form": said(exc)}, exc.status
    return render_template(
        "invitation.html", offer=offer, organiser=organiser, refusal=None, form=form, errors=errors
    ), status


def _new_account(form) -> dict:
    data = AcceptIn().load({"name": (form.get("name") or "").strip(), "password": form.get("password") or ""})
    if form.get("password") != form.get("password_again"):
        raise ValidationError({"password_again": [translate("Le due password non coincidono.")]})
    return {"name": data["name"], "password": data["password"]}


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


def _back(organisation: str):
    return redirect(url_for(".organisation_members", organisation=organisation), code=303)
