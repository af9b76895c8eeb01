"""The check-in desk page (roles owner, organiser or checkin): find a person
by name and check them in, or read the QR code of their personal page (typed,
pasted, or scanned with the device camera where the browser can)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from shared.db import utcnow
from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import ctx, transaction
from shared.web.forms import errors_of
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import attendance, checkin, organiser
from ...models import CheckIn

bp = html_errors(Blueprint("checkin_pages", __name__, url_prefix="/organiser/events/<slug>"))


@bp.get("/checkin")
@organiser_required
def desk(staff, slug):
    q = (request.args.get("q") or "").strip()
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug, organiser.CHECK_IN)
        found = organiser.search(session, listing, status="confirmed", q=q, page_size=30)[0] if q else []
        checked = _checked_in(session, [r.id for r in found])
        days = sorted(attendance.day_windows(listing))
    return render_template(
        "organiser/checkin.html",
        listing=listing,
        q=q,
        found=found,
        checked=checked,
        days=days,
        day=_day(request.args.get("day"), days, listing),
        section="checkin",
    )


def _day(value: str | None, days: list[dt.date], listing) -> dt.date | None:
    """The day asked for if it is an event day, else today if it is one, else the first."""
    try:
        chosen = dt.date.fromisoformat(value or "")
    except ValueError:
        chosen = attendance.local_day(utcnow(), listing)
    return chosen if chosen in days else (days[0] if days else None)


@bp.post("/checkin")
@organiser_required
def check_in(staff, slug):
    form = request.form
    try:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug, organiser.CHECK_IN)
            registration_id = form.get("registration_id") or checkin.registration_id_from(
                ctx().settings.secret_key, form.get("code", "")
            )
            day = _day(form.get("day"), sorted(attendance.day_windows(listing)), listing)
            result = checkin.check_in(session, listing, registration_id, day=day, by=staff.account_id)
            name = f"{result.registration.first_name} {result.registration.last_name}"
        message = "%(name)s era già registrato." if result.already else "Check-in fatto: %(name)s."
        flash(translate(message, name=name), "warning" if result.already else "ok")
    except DomainError as exc:
        flash(translate("Check-in non riuscito: %(reason)s", reason=errors_of(exc).popitem()[1]), "error")
    return redirect(url_for(".desk", slug=slug, q=form.get("q") or None, day=form.get("day") or None), code=303)


def _checked_in(session, registration_ids: list[str]) -> dict[str, list[str]]:
    """Registration id -> the scopes (day:..., session:...) it checked in for."""
    scopes: dict[str, list[str]] = {}
    if registration_ids:
        for row in session.scalars(select(CheckIn).where(CheckIn.registration_id.in_(registration_ids))):
            scopes.setdefault(row.registration_id, []).append(row.scope)
    return scopes
