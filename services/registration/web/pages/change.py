"""The participant's "change my registration" page behind the secret link:
personal details, answers and workshop choices, with the same use case as
PATCH /api/v1/self/<token> (self_service.change). Inline errors keep what
was typed. Also the workshop helpers of the registration pages (seats left,
overlap warnings)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.context import transaction
from shared.web.forms import errors_of, field_errors
from shared.web.i18n import localized, translate
from shared.web.pages import html_errors

from ... import self_service
from ...forms import FormInvalid
from ...links import by_token
from ...models import Listing
from ..presenters import form_view, registration_view
from ..schemas.public import ChangeIn

bp = html_errors(Blueprint("change_pages", __name__))
PERSONAL = ("first_name", "last_name", "organisation", "role", "locale")


@bp.app_template_global()
def overlaps_of(workshops) -> dict:
    """Workshop id -> titles of the other workshops at the same time."""
    return {
        w.id: [localized(None, it=o.title_it, en=o.title_en) for o in workshops if o.id != w.id and w.overlaps(o)]
        for w in workshops
    }


@bp.app_template_global()
def seats_left_of(workshop) -> int | None:
    return None if workshop.seat_limit is None else max(workshop.seat_limit - workshop.taken, 0)


@bp.route("/r/<token>/change", methods=["GET", "POST"])
def change(token):
    with transaction() as session:
        registration = by_token(session, token)
        listing = session.get_one(Listing, registration.event_id)
        view, definition = registration_view(session, registration), form_view(session, listing)
    form, errors, status = _current(view), {}, 200
    if request.method == "POST":
        form = request.form
        try:
            changes = ChangeIn().load(_changes(form, definition))
            with transaction() as session:
                self_service.change(session, token, changes)
            flash(translate("Modifiche salvate."))
            return redirect(url_for("pages_self.own_registration", token=token), code=303)
        except FormInvalid as exc:
            errors, status = field_errors(exc.errors), exc.status
        except (ValidationError, DomainError) as exc:
            errors, status = errors_of(exc), getattr(exc, "status", 422)
    return render_template(
        "change_registration.html",
        listing=listing,
        registration=view,
        definition=definition,
        form=form,
        errors=errors,
        token=token,
    ), status


def _current(view: dict) -> dict:
    form = {name: view.get(name) or "" for name in PERSONAL}
    form.update({f"answers.{key}": value for key, value in (view.get("answers") or {}).items()})
    form["workshops"] = [str(w["session_id"]) for w in view.get("workshops") or []]
    return form


def _changes(form, definition: dict) -> dict:
    data = {name: form.get(name, "").strip() for name in PERSONAL if name in form}
    data["answers"] = {
        f.key: (
            form.getlist(f"answers.{f.key}") if f.kind == "multiple_choice" else form.get(f"answers.{f.key}") or None
        )
        for f in definition["fields"]
    }
    data["workshops"] = form.getlist("workshops")
    return data
