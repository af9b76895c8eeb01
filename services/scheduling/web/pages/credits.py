"""Organiser pages for credit types: each organisation the organiser owns or
organises, with its credit types, a form to add one, and editing and
deleting them. The same schemas and use cases as the JSON API."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import credits
from ..context import config
from ..schemas.credits import credit_type_row
from .forms import credit_type_input

bp = html_errors(Blueprint("credit_type_pages", __name__, url_prefix="/organiser/credit-types"))
# The use cases name a credit type's name `name`; the form has name_it.
FIELDS = {"name": "name_it", "org_id": "organisation_id"}


@bp.route("", methods=["GET", "POST"])
@organiser_required
def credit_types(organiser):
    form, errors, status = request.form, {}, 200
    if request.method == "POST":
        try:
            data = credit_type_row(credit_type_input(form))
            with transaction() as session:
                credits.create_credit_type(session, organiser, form.get("organisation_id") or "", data)
            flash(translate("Tipo di crediti aggiunto."))
            return redirect(url_for(".credit_types"), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = errors_of(exc, FIELDS), 422
    with transaction() as session:
        rows = credits.managed_credit_types(session, organiser)
    return render_template("organiser/credit_types.html", rows=rows, form=form, errors=errors), status


@bp.route("/<type_id>", methods=["GET", "POST"])
@organiser_required
def edit_credit_type(organiser, type_id):
    with transaction() as session:
        credit_type = credits.managed_credit_type(session, organiser, type_id)
    form, errors, status = _values(credit_type), {}, 200
    if request.method == "POST":
        form = request.form
        try:
            data = credit_type_row(credit_type_input(form))
            with transaction() as session:
                credits.update_credit_type(
                    session, organiser, credit_type.organisation_id, type_id, data, config().public_base_url
                )
            flash(translate("Modifiche salvate."))
            return redirect(url_for(".credit_types"), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = errors_of(exc, FIELDS), 422
    return render_template("organiser/credit_type_form.html", credit_type=credit_type, form=form, errors=errors), status


@bp.post("/<type_id>/delete")
@organiser_required
def delete_credit_type(organiser, type_id):
    try:
        with transaction() as session:
            credit_type = credits.managed_credit_type(session, organiser, type_id)
            credits.delete_credit_type(session, organiser, credit_type.organisation_id, type_id)
        flash(translate("Tipo di crediti eliminato."))
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(translate("Non si può eliminare: un evento o una sessione riconosce questi crediti."), "error")
    return redirect(url_for(".credit_types"), code=303)


def _values(credit_type) -> dict:
    return {"name_it": credit_type.name_it, "name_en": credit_type.name_en or "", "unit": credit_type.unit}
