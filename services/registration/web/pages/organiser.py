"""Organiser pages of registration (login cookie from scheduling): the
registrations of an event (search, filter by state and category), approve
or reject, cancel, the waiting lists, CSV and XLSX exports. The same use
cases as the organisers' API."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)

from shared.errors import DomainError
from shared.events.registration import REGISTRATION_STATES
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import approval, exports, organiser, registering
from ...form_admin import categories_of
from ..context import config
from ..presenters import XLSX, attachment, registration_view

bp = html_errors(Blueprint("organiser_pages", __name__, url_prefix="/organiser/events/<slug>"))
STATES = REGISTRATION_STATES  # the filter offers every state a registration can be in
PAGE_SIZE = 50
MAX_PAGE = 10000  # as the API's page argument; beyond it the offset overflows the database's integer


@bp.get("/registrations")
@organiser_required
def registrations(staff, slug):
    args = request.args
    status = args.get("status") if args.get("status") in STATES else None
    page = min(max(1, args.get("page", 1, type=int) or 1), MAX_PAGE)
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        rows, total, positions, category_positions = organiser.search_page(
            session,
            listing,
            status=status,
            category=args.get("category") or None,
            q=args.get("q") or None,
            page=page,
            page_size=PAGE_SIZE,
        )
        views = [
            registration_view(
                session,
                r,
                position=positions.get(r.id),
                category_position=category_positions.get(r.id),
                workshops_chosen=False,
            )
            for r in rows
        ]
        categories = categories_of(session, listing)
    return render_template(
        "organiser/registrations.html",
        listing=listing,
        rows=views,
        total=total,
        page=page,
        pages=(total + PAGE_SIZE - 1) // PAGE_SIZE,
        states=STATES,
        categories=categories,
        args=args,
        section="registrations",
    )


@bp.post("/registrations/decide")
@organiser_required
def decide(staff, slug):
    ids, action = request.form.getlist("registration_ids"), request.form.get("action")
    if not ids or action not in ("approve", "reject"):
        flash(translate("Scegli almeno un'iscrizione e un'azione."), "error")
        return redirect(url_for(".registrations", slug=slug), code=303)
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        if action == "approve":
            outcomes = approval.approve(session, listing, ids)
        else:
            reason = request.form.get("reason") or None
            outcomes = approval.reject(session, listing, ids, reason, base_url=config().public_base_url)
    failed = [o for o in outcomes if o.error]
    flash(translate("Fatto: %(n)s iscrizioni.", n=len(outcomes) - len(failed)))
    for outcome in failed:
        flash(f"{outcome.registration_id}: {outcome.error}", "error")
    return redirect(url_for(".registrations", slug=slug, status=request.args.get("status")), code=303)


@bp.post("/registrations/<registration_id>/cancel")
@organiser_required
def cancel(staff, slug, registration_id):
    try:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            registration = organiser.registration_of(session, listing, registration_id, for_update=True)
            reason = request.form.get("reason") or None
            registering.cancel_registration(session, registration, base_url=config().public_base_url, reason=reason)
        flash(translate("Iscrizione annullata."))
    except DomainError as exc:
        flash(errors_of(exc).popitem()[1], "error")
    return redirect(url_for(".registrations", slug=slug), code=303)


@bp.get("/waitlists")
@organiser_required
def waitlists(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        lines = organiser.waiting_lists(session, listing)
    return render_template("organiser/waitlists.html", listing=listing, lines=lines, section="registrations")


@bp.get("/export.<any(csv, xlsx):kind>")
@organiser_required
def export(staff, slug, kind):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        workbook = exports.xlsx_file(session, listing) if kind == "xlsx" else None
    if workbook is not None:
        response = send_file(workbook, mimetype=XLSX)
        response.headers.update(attachment(f"{slug}-iscrizioni.xlsx"))
        return response

    def pieces():
        with transaction() as session:
            yield from exports.csv_of(session, organiser.listing_for(session, staff, slug))

    return Response(stream_with_context(pieces()), mimetype="text/csv", headers=attachment(f"{slug}-iscrizioni.csv"))
