"""Name badges of an event as a PDF, for the registrations page's filters
(state, category, search; confirmed people when no state is chosen), A4
sheets of eight or A6 one per page, in parts of badges.MAX_BADGES."""

from __future__ import annotations

from flask import Blueprint, Response, request

from shared.errors import Unprocessable
from shared.events.registration import REGISTRATION_STATES
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.pages import html_errors

from ... import badges, organiser
from ..context import config
from ..presenters import attachment

bp = html_errors(Blueprint("badge_pages", __name__, url_prefix="/organiser/events/<slug>"))


@bp.get("/badges.pdf")
@organiser_required
def badge_sheet(staff, slug):
    args = request.args
    layout = args.get("layout") or "a4"
    if layout not in badges.LAYOUTS:
        raise Unprocessable("layout must be a4 or a6", field="layout")
    status = args.get("status") or "confirmed"
    if status not in REGISTRATION_STATES:
        raise Unprocessable("not a registration state", field="status")
    raw_part = args.get("part", "1")
    part = int(raw_part) if raw_part.isascii() and raw_part.isdigit() else None
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        query = organiser.matching(
            listing, status=status, category=args.get("category") or None, q=args.get("q") or None
        )
        parts = badges.parts_of(session, query)
        if part is None or not 1 <= part <= parts:  # also "x": not silently the first part
            raise Unprocessable(f"part must be between 1 and {parts}", field="part")
        body = badges.badge_pdf(
            listing, badges.badges_of(session, listing, query, secret=config().secret_key, part=part), layout
        )
    name = f"{slug}-badge-{layout}" + (f"-{part}" if parts > 1 else "") + ".pdf"
    headers = attachment(name) | {"X-Badge-Parts": str(parts)}
    return Response(body, mimetype="application/pdf", headers=headers)
