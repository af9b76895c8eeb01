"""Organiser pages for an event's rooms, tracks and speakers: list, add,
edit, delete, with the programme use cases of the API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ...models import Room, Speaker, Track
from ...programme import items as programme_items
from ..schemas.programme import named_row, speaker_row
from .forms import room_input, speaker_input, track_input

bp = html_errors(Blueprint("organiser_programme", __name__, url_prefix="/organiser/events/<slug>"))


@dataclass(frozen=True)
class Kind:
    model: type
    read: Callable[[Mapping], dict]  # form -> validated API input
    to_row: Callable[[dict], dict]  # API input -> model columns
    fields: tuple  # (name, Italian label, input type, required)
    title: str
    added: str


KINDS = {
    "rooms": Kind(
        Room,
        room_input,
        dict,
        (
            ("name", "Nome", "text", True),
            ("capacity", "Capienza", "number", False),
            ("position", "Ordine", "number", False),
        ),
        "Sale",
        "Sala aggiunta.",
    ),
    "tracks": Kind(
        Track,
        track_input,
        named_row,
        (
            ("name_it", "Nome (italiano)", "text", True),
            ("name_en", "Nome (inglese)", "text", False),
            ("colour", "Colore", "color", False),
        ),
        "Percorsi",
        "Percorso aggiunto.",
    ),
    "speakers": Kind(
        Speaker,
        speaker_input,
        speaker_row,
        (
            ("name", "Nome", "text", True),
            ("affiliation", "Ente", "text", False),
            ("email", "E-mail (non pubblicata)", "email", False),
            ("bio_it", "Biografia (italiano)", "textarea", False),
            ("bio_en", "Biografia (inglese)", "textarea", False),
        ),
        "Relatori",
        "Relatore aggiunto.",
    ),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


@bp.route("/<kind>", methods=["GET", "POST"])
@organiser_required
def items(organiser, slug, kind):
    spec, form, errors, status = _kind(kind), request.form, {}, 200
    if request.method == "POST":
        try:
            data = spec.to_row(spec.read(form))
            with transaction() as session:
                programme_items.add_item(session, organiser, slug, spec.model, data)
            flash(translate(spec.added))
            return redirect(url_for(".items", slug=slug, kind=kind), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = errors_of(exc), 422
    with transaction() as session:
        event = programme_items.organised_event(session, organiser, slug, lock=False)
        rows = programme_items.list_items(session, organiser, slug, spec.model)
    return render_template(
        "organiser/items.html", event=event, kind=kind, spec=spec, rows=rows, form=form, errors=errors, section=kind
    ), status


@bp.route("/<kind>/<item_id>", methods=["GET", "POST"])
@organiser_required
def edit_item(organiser, slug, kind, item_id):
    spec, errors, status = _kind(kind), {}, 200
    with transaction() as session:
        event = programme_items.organised_event(session, organiser, slug, lock=False)
        item = programme_items.item_of(session, spec.model, event.id, item_id)
    form = {name: getattr(item, name) if getattr(item, name) is not None else "" for name, *_ in spec.fields}
    if request.method == "POST":
        form = request.form
        try:
            data = spec.to_row(spec.read(form))
            with transaction() as session:
                programme_items.update_item(session, organiser, slug, spec.model, item_id, data)
            flash(translate("Modifiche salvate."))
            return redirect(url_for(".items", slug=slug, kind=kind), code=303)
        except (ValidationError, DomainError) as exc:
            errors, status = errors_of(exc), 422
    return render_template(
        "organiser/item_form.html", event=event, kind=kind, spec=spec, item=item, form=form, errors=errors, section=kind
    ), status


@bp.post("/<kind>/<item_id>/delete")
@organiser_required
def delete_item(organiser, slug, kind, item_id):
    spec = _kind(kind)
    try:
        with transaction() as session:
            programme_items.delete_item(session, organiser, slug, spec.model, item_id)
        flash(translate("Eliminato."))
    except DomainError as exc:
        flash(errors_of(exc).popitem()[1], "error")
    return redirect(url_for(".items", slug=slug, kind=kind), code=303)
