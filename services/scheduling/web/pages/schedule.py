"""Organiser pages for the schedule: the grid (days x rooms) with conflicts
highlighted, adding, editing, moving and deleting sessions, and releasing a
version after previewing its changelog."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import current_language, translate
from shared.web.pages import html_errors

from ...credit_grants import credit_types_of
from ...models import Room, Speaker, Track
from ...programme import items, releases, sessions
from ...programme.schedule_grid import build_grid
from ..context import config
from ..presenters import changed_delivery
from ..schemas.programme import session_row
from .forms import credit_errors, move_input, session_form, session_input

bp = html_errors(Blueprint("organiser_schedule", __name__, url_prefix="/organiser/events/<slug>"))
SESSION_FIELDS = {"starts_at": "start", "ends_at": "end", "online": "online_platform"}


@bp.get("/schedule")
@organiser_required
def grid(organiser, slug):
    with transaction() as session:
        event, rows = sessions.list_sessions(session, organiser, slug)
        rooms = items.list_items(session, organiser, slug, Room)
        conflicts = sessions.event_conflicts(session, event)
    return render_template(
        "organiser/schedule.html",
        event=event,
        grid=build_grid(event, rows, rooms, conflicts),
        rooms=rooms,
        section="schedule",
    )


def _choices(session, organiser, event) -> dict:
    return {
        "rooms": items.list_items(session, organiser, event.slug, Room),
        "tracks": items.list_items(session, organiser, event.slug, Track),
        "speakers": items.list_items(session, organiser, event.slug, Speaker),
        "credit_types": credit_types_of(session, event.organisation_ids),
    }


@bp.route("/schedule/sessions/new", methods=["GET", "POST"])
@organiser_required
def new_session(organiser, slug):
    form, errors, status = request.values, {}, 200
    if request.method == "POST":
        try:
            data = session_row(session_input(request.form))
            with transaction() as session:
                sessions.create_session(session, organiser, slug, data)
            flash(translate("Sessione aggiunta."))
            return redirect(url_for(".grid", slug=slug), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = credit_errors(errors_of(exc, SESSION_FIELDS)), 422
    with transaction() as session:
        event = items.organised_event(session, organiser, slug, lock=False)
        choices = _choices(session, organiser, event)
    return render_template(
        "organiser/session_form.html", event=event, row=None, form=form, errors=errors, section="schedule", **choices
    ), status


@bp.route("/schedule/sessions/<int:session_id>", methods=["GET", "POST"])
@organiser_required
def edit_session(organiser, slug, session_id):
    errors, status = {}, 200
    with transaction() as session:
        event, row = sessions.get_session(session, organiser, slug, session_id)
        choices = _choices(session, organiser, event)
    form = session_form(row, event.timezone)
    if request.method == "POST":
        form = request.form
        try:
            data = session_row(session_input(form))
            with transaction() as session:
                sessions.update_session(session, organiser, slug, session_id, data)
            flash(translate("Modifiche salvate."))
            return redirect(url_for(".grid", slug=slug), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = credit_errors(errors_of(exc, SESSION_FIELDS)), 422
    return render_template(
        "organiser/session_form.html", event=event, row=row, form=form, errors=errors, section="schedule", **choices
    ), status


@bp.post("/schedule/sessions/<int:session_id>/move")
@organiser_required
def move_session(organiser, slug, session_id):
    try:
        data = session_row(move_input(request.form))
        with transaction() as session:
            sessions.update_session(session, organiser, slug, session_id, data)
        flash(translate("Sessione spostata."))
    except (ValidationError, DomainError) as exc:
        flash(translate("Spostamento non riuscito: %(reason)s", reason="; ".join(errors_of(exc).values())), "error")
    return redirect(url_for(".grid", slug=slug) + f"#session-{session_id}", code=303)


@bp.post("/schedule/sessions/<int:session_id>/delete")
@organiser_required
def delete_session(organiser, slug, session_id):
    with transaction() as session:
        sessions.cancel_session(session, organiser, slug, session_id)
    flash(translate("Sessione eliminata: la prossima versione la mostrerà come annullata."))
    return redirect(url_for(".grid", slug=slug), code=303)


@bp.route("/release", methods=["GET", "POST"])
@organiser_required
def release(organiser, slug):
    form, errors, status = request.form, {}, 200
    if request.method == "POST":
        try:
            with transaction() as session:
                version, _, _ = releases.release_schedule(
                    session,
                    organiser,
                    slug,
                    name=form.get("name") or None,
                    comment=form.get("comment", ""),
                    force="force" in form,
                    public_base_url=config().public_base_url,
                )
                name = version.name
            flash(translate("Versione %(name)s pubblicata.", name=name))
            return redirect(url_for(".release", slug=slug), code=303)
        except DomainError as exc:
            errors, status = errors_of(exc), exc.status
    with transaction() as session:
        event = items.organised_event(session, organiser, slug, lock=False)
        preview, conflicts, previous = releases.preview_release(session, organiser, slug)
        versions = releases.list_versions(session, slug) if event.status != "draft" else []
    return render_template(
        "organiser/release.html",
        event=event,
        preview=preview,
        conflicts=conflicts,
        previous=previous,
        versions=versions,
        delivery_words=partial(changed_delivery, event, current_language()),
        form=form,
        errors=errors,
        section="release",
    ), status
