"""Privacy pages: the site's own notice (what the service keeps, its
cookies and logs, the data controller from the configuration), an event's
notice at its current or an earlier version, and the organisers' page that
publishes a new version (the same use case as the API)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import COOKIE, COOKIE_MAX_AGE, translate
from shared.web.pages import html_errors

from ... import organiser, privacy_notices, registering
from ..context import config
from ..notice_html import notice_html
from ..presenters import web_address
from ..schemas.notices import NoticeIn

bp = html_errors(Blueprint("pages_privacy", __name__))
organiser_bp = html_errors(Blueprint("organiser_privacy", __name__, url_prefix="/organiser/events/<slug>"))


@bp.app_template_filter("notice_html")
def _notice_html(text: str):
    return notice_html(text or "")


@bp.get("/privacy")
def site_notice():
    return render_template(
        "privacy_site.html",
        controller=config().controller,
        cookie=COOKIE,
        cookie_days=COOKIE_MAX_AGE // 86400,
    )


@bp.get("/events/<slug>/privacy")
def event_notice(slug):
    """`?version=N` for an earlier version; the event's consent version when not given."""
    with transaction() as session:
        listing = registering.find_listing(session, slug)
        versions = privacy_notices.versions_of(session, listing)
    asked = request.args.get("version") or listing.privacy_policy_version
    if asked == listing.privacy_policy_version and listing.privacy_policy_url and not versions[0].own:
        return redirect(web_address(listing.privacy_policy_url) or "", code=303)  # the organisers' own page elsewhere
    if asked == listing.privacy_policy_version:
        shown, label = versions[0], asked  # a version the organisers named for the default text keeps its name
    else:
        found = next((n for n in versions if asked.isdigit() and n.version == int(asked)), None)
        if found is None:
            abort(404)
        shown, label = found, str(found.version)
    return render_template(
        "privacy_notice.html",
        listing=listing,
        notice=shown,
        label=label,
        current=shown is versions[0],
        versions=versions,
        controller=config().controller,
    )


@organiser_bp.route("/privacy", methods=["GET", "POST"])
@organiser_required
def notices(staff, slug):
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            body = NoticeIn().load({"text_it": request.form.get("text_it", ""), "text_en": _text("text_en")})
            with transaction() as session:
                listing = organiser.listing_for(session, staff, slug)
                notice = privacy_notices.publish(
                    session, listing, text_it=body["text_it"], text_en=body["text_en"], by=staff.account_id
                )
            flash(translate("Pubblicata la versione %(n)s dell'informativa.", n=notice.version))
            return redirect(url_for(".notices", slug=slug), code=303)
        except ValidationError as exc:
            errors = errors_of(exc)
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        versions = privacy_notices.versions_of(session, listing)
        upcoming = privacy_notices.next_version(session, listing)
    return render_template(
        "organiser/privacy_notices.html",
        listing=listing,
        versions=versions,
        upcoming=upcoming,
        errors=errors,
        form=request.form,
        section="registrations",
    ), 422 if errors else 200


def _text(name: str) -> str | None:
    return (request.form.get(name) or "").strip() or None
