"""Organiser pages for events: the list, create, edit, publish, cancel."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import current_language, translate
from shared.web.pages import html_errors

from ... import accounts
from ...credit_grants import credit_types_of
from ...events import cancel_event, create_event, organised_events, publish_event, update_event
from ...programme.items import organised_event
from ..context import config
from ..presenters import event_types
from ..schemas.events import event_row
from .forms import ONLINE_ERRORS, credit_errors, event_form, event_input

bp = html_errors(Blueprint("organiser_events", __name__, url_prefix="/organiser"))


@bp.get("/")
@organiser_required
def events(organiser):
    with transaction() as session:
        rows = organised_events(session, organiser)
    return render_template("organiser/events.html", events=rows)


@bp.route("/events/new", methods=["GET", "POST"])
@organiser_required
def new_event(organiser):
    form = request.form if request.method == "POST" else {"timezone": "Europe/Rome", "join_link_lead_minutes": 60}
    errors, status = {}, 200
    if request.method == "POST":
        try:
            data = event_input(form)
            with transaction() as session:
                event = create_event(session, organiser, event_row(data))
                slug = event.slug
            flash(translate("Evento creato come bozza: aggiungi il programma e pubblicalo."))
            return redirect(url_for(".event_overview", slug=slug), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = credit_errors(errors_of(exc, ONLINE_ERRORS)), 422
    with transaction() as session:
        organisations = accounts.organisations_of(session, organiser)
        credit_types = credit_types_of(session, [organisation.id for organisation in organisations])
    return render_template(
        "organiser/event_form.html",
        form=form,
        errors=errors,
        event=None,
        organisations=organisations,
        credit_types=credit_types,
        types=event_types(current_language()),
    ), status


@bp.get("/events/<slug>")
@organiser_required
def event_overview(organiser, slug):
    with transaction() as session:
        event = organised_event(session, organiser, slug, lock=False)
    return render_template("organiser/event.html", event=event, section="overview")


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@organiser_required
def edit_event(organiser, slug):
    with transaction() as session:
        event = organised_event(session, organiser, slug, lock=False)
        form, errors, status = event_form(event), {}, 200
        credit_types = credit_types_of(session, event.organisation_ids)
    if request.method == "POST":
        form = request.form
        try:
            data = event_row(event_input(form, with_organisations=False))
            with transaction() as session:
                update_event(session, organiser, slug, data, config().public_base_url)
            flash(translate("Modifiche salvate."))
            return redirect(url_for(".event_overview", slug=slug), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = credit_errors(errors_of(exc, ONLINE_ERRORS)), 422
    return render_template(
        "organiser/event_form.html",
        form=form,
        errors=errors,
        event=event,
        organisations=[],
        credit_types=credit_types,
        types=event_types(current_language()),
        section="edit",
    ), status


@bp.post("/events/<slug>/<any(publish, cancel):action>")
@organiser_required
def change_status(organiser, slug, action):
    use_case = publish_event if action == "publish" else cancel_event
    try:
        with transaction() as session:
            use_case(session, organiser, slug, config().public_base_url)
        flash(translate("Evento pubblicato.") if action == "publish" else translate("Evento annullato."))
    except DomainError as exc:
        flash(errors_of(exc).popitem()[1], "error")
    return redirect(url_for(".event_overview", slug=slug), code=303)
