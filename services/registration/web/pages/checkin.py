"""The check-in desk page (roles owner, organiser or checkin): find a person
by name and check them in, or read the QR code of their personal page (typed,
pasted, or scanned with the device camera where the browser can)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import checkin, organiser
from ..context import config

bp = html_errors(Blueprint("checkin_pages", __name__, url_prefix="/organiser/events/<slug>"))


@bp.get("/checkin")
@organiser_required
def desk(staff, slug):
    q = (request.args.get("q") or "").strip()
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug, organiser.CHECK_IN)
        found = organiser.search(session, listing, status="confirmed", q=q, page_size=30)[0] if q else []
        checked = checkin.scopes_checked_in(session, [r.id for r in found])
    return render_template(
        "organiser/checkin.html",
        listing=listing,
        q=q,
        found=found,
        checked=checked,
        days=checkin.event_days(listing),
        day=checkin.desk_day(listing, request.args.get("day")),
        section="checkin",
    )


@bp.post("/checkin")
@organiser_required
def check_in(staff, slug):
    form = request.form
    try:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug, organiser.CHECK_IN)
            result = checkin.check_in(
                session,
                listing,
                secret=config().secret_key,
                code=form.get("code", ""),
                registration_id=form.get("registration_id") or None,
                day=checkin.desk_day(listing, form.get("day")),
                by=staff.account_id,
            )
            name = f"{result.registration.first_name} {result.registration.last_name}"
        message = "%(name)s era già registrato." if result.already else "Check-in fatto: %(name)s."
        flash(translate(message, name=name), "warning" if result.already else "ok")
    except DomainError as exc:
        flash(translate("Check-in non riuscito: %(reason)s", reason=errors_of(exc).popitem()[1]), "error")
    return redirect(url_for(".desk", slug=slug, q=form.get("q") or None, day=form.get("day") or None), code=303)
