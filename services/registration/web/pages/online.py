"""Organiser pages for online attendance (login cookie from scheduling):
upload a platform's attendance report for a session or day, check the
preview table and map the proposals and unmatched rows, confirm; upload the
registrant list with per-person join links. The same use cases as the API."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from shared.errors import DomainError
from shared.formatting import format_date, format_when
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import current_language, localized, translate
from shared.web.pages import html_errors

from ... import attendance, attendance_import, join_links, organiser, released_programme
from ...models import ProgrammeSession
from ...online_access import PLATFORM_NAMES
from ..presenters import import_view

bp = html_errors(Blueprint("online_pages", __name__, url_prefix="/organiser/events/<slug>"))


def report_formats() -> dict[str, str]:
    """A report's format as the platform's name (attendance_reports/detect.py's keys)."""
    return {**{key: name for key, name in PLATFORM_NAMES.items() if name}, "plain": translate("CSV semplice")}


def target_names(programme: list[ProgrammeSession], scopes, timezone: str) -> dict[str, str]:
    """Each import's target in words: "session:12" as the session's title and
    time, "day:2026-12-04" as the day; one no longer in the programme as stored."""
    sessions, lang, names = {f"session:{s.id}": s for s in programme}, current_language(), {}
    for scope in scopes:
        kind, _, key = scope.partition(":")
        if scope in sessions:
            found = sessions[scope]
            title = localized(None, it=found.title_it, en=found.title_en)
            names[scope] = f"{title} · {format_when(found.starts_at, found.ends_at, timezone, lang)}"
        elif kind == "day":
            try:
                names[scope] = format_date(dt.date.fromisoformat(key), None, lang)
            except ValueError:
                names[scope] = scope
        else:
            names[scope] = scope
    return names


@bp.get("/attendance-imports")
@organiser_required
def imports(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        programme = [s for s in released_programme.sessions_of(session, listing.id) if s.kind == "session"]
        targets = [(f"session:{s.id}", s) for s in programme if s.status == "confirmed"]
        days = [] if programme else sorted(attendance.day_windows(listing))
        done = attendance_import.imports_of(session, listing)
    return render_template(
        "organiser/attendance_imports.html",
        listing=listing,
        targets=targets,
        days=days,
        done=done,
        target_names=target_names(programme, [d.scope for d in done], listing.timezone),
        formats=report_formats(),
        section="registrations",
    )


@bp.post("/attendance-imports")
@organiser_required
def upload(staff, slug):
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            raise DomainError(translate("Scegli un file."), field="file")
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            found, unchanged = attendance_import.upload(
                session,
                listing,
                target=request.form.get("target", ""),
                content=file.read(),
                filename=file.filename,
                by=staff.account_id,
            )
            import_id = found.id
    except DomainError as exc:
        flash(errors_of(exc).popitem()[1], "error")
        return redirect(url_for(".imports", slug=slug), code=303)
    if unchanged:
        flash(translate("Questo file è già stato importato: nulla è cambiato."))
        return redirect(url_for(".imports", slug=slug), code=303)
    return redirect(url_for(".preview", slug=slug, import_id=import_id), code=303)


@bp.get("/attendance-imports/<int:import_id>")
@organiser_required
def preview(staff, slug, import_id):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        view = import_view(session, attendance_import.import_of(session, listing, import_id))
        confirmed = attendance.confirmed_of(session, listing)
        programme = released_programme.sessions_of(session, listing.id)
    return render_template(
        "organiser/attendance_preview.html",
        listing=listing,
        view=view,
        confirmed=confirmed,
        target_name=target_names(programme, [view["scope"]], listing.timezone)[view["scope"]],
        formats=report_formats(),
        section="registrations",
    )


@bp.post("/attendance-imports/<int:import_id>/confirm")
@organiser_required
def confirm(staff, slug, import_id):
    mapping = {key.removeprefix("row-"): value or None for key, value in request.form.items() if key.startswith("row-")}
    try:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            done, _ = attendance_import.confirm(session, listing, import_id, mapping)
            matched = done.matched
        flash(translate("Presenze registrate per %(n)s iscritti.", n=matched))
    except DomainError as exc:
        flash(errors_of(exc).popitem()[1], "error")
        return redirect(url_for(".preview", slug=slug, import_id=import_id), code=303)
    return redirect(url_for(".imports", slug=slug), code=303)


@bp.post("/join-links")
@organiser_required
def links(staff, slug):
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            raise DomainError(translate("Scegli un file."), field="file")
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            outcome = join_links.import_links(session, listing, file.read())
        flash(
            translate(
                "Link personali: %(changed)s nuovi o cambiati, %(removed)s tolti.",
                changed=outcome.changed,
                removed=outcome.removed,
            )
        )
        if outcome.unknown:
            flash(translate("Indirizzi non iscritti: %(emails)s", emails=", ".join(outcome.unknown[:50])), "error")
    except DomainError as exc:
        flash(errors_of(exc).popitem()[1], "error")
    return redirect(url_for(".imports", slug=slug), code=303)
