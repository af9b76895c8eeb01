"""Participant pages: the registration form, "send me my link again", and the
personal page behind the secret link. They call the same use cases as the
API, and speak the page's language (shared/web/i18n.py); validation messages
come from shared/web/form_errors.py."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.formatting import format_when
from shared.web.context import transaction
from shared.web.form_errors import field_errors, localize_error
from shared.web.i18n import current_language
from shared.web.pages import html_errors, status_text

from ... import attendance, checkin, final_tests, offers, online_access, privacy, registering, resend
from ...forms import FormInvalid
from ...links import by_token
from ...models import Listing
from ..context import config
from ..presenters import LINK_SENT, form_view, registration_view
from ..schemas.public import LinkRequestIn, ParticipantIn

bp = html_errors(Blueprint("pages", __name__))
links_bp = html_errors(Blueprint("pages_links", __name__))
self_bp = html_errors(Blueprint("pages_self", __name__))


@bp.app_template_global()
def when(item) -> str:
    return format_when(item.starts_at, item.ends_at, item.timezone, current_language())


@bp.app_template_global()
def span(starts_at, ends_at, timezone) -> str:
    return format_when(starts_at, ends_at, timezone, current_language())


@bp.app_template_global()
def status_label(status: str) -> str:
    """A registration's (or workshop sign-up's) status in the page's language."""
    return status_text(status, of="registration")


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
def register(slug):
    with transaction() as session:
        listing = registering.find_listing(session, slug)
        form_definition = form_view(session, listing)
    form, errors, status = request.form, {}, 200
    if request.method == "POST":
        try:
            participant = _participant(form_definition)
            with transaction() as session:
                issued = registering.register(session, slug, participant, base_url=config().public_base_url)
            return redirect(url_for("pages_self.own_registration", token=issued.token, new=1), code=303)
        except ValidationError as exc:
            errors, status = _messages(exc), 422
        except FormInvalid as exc:
            errors, status = field_errors(exc.errors), exc.status
        except DomainError as exc:  # keep the condition's status (409 registered/closed), as the API does
            errors, status = {exc.field or "form": localize_error(exc.message)}, exc.status
    return render_template(
        "register.html", listing=listing, definition=form_definition, form=form, errors=errors
    ), status


def _participant(definition: dict) -> dict:
    """The posted form as the API's input; consent is always asked for on this page."""
    data: dict[str, object] = {
        k: v for k, v in request.form.items() if k in ParticipantIn().fields and k not in ("answers", "workshops")
    }
    data["answers"] = {
        field.key: (
            request.form.getlist(f"answers.{field.key}")
            if field.kind == "multiple_choice"
            else request.form.get(f"answers.{field.key}")
        )
        for field in definition["fields"]
    }
    data["workshops"] = request.form.getlist("workshops")
    data["privacy_consent"] = "privacy_consent" in request.form
    if not data.get("category"):
        data.pop("category", None)
    participant = ParticipantIn().load(data)
    if not participant["privacy_consent"]:
        raise ValidationError({"privacy_consent": ["please read and accept the privacy notice"]})
    return participant


def _messages(exc: ValidationError) -> dict:
    """One localized message per field (shared/web/form_errors.py); a schema's messages are by field."""
    return field_errors(exc.messages if isinstance(exc.messages, dict) else {"form": exc.messages})


@links_bp.route("/events/<slug>/link", methods=["GET", "POST"])
def request_link(slug):
    with transaction() as session:
        listing = registering.find_listing(session, slug)
    sent, errors = False, {}
    if request.method == "POST":
        try:
            email = LinkRequestIn().load({"email": request.form.get("email", "")})["email"]
            with transaction() as session:
                resend.request_link(
                    session, registering.find_listing(session, slug), email, base_url=config().public_base_url
                )
            sent = True
        except ValidationError as exc:
            errors = _messages(exc)
    return render_template(
        "request_link.html", listing=listing, sent=sent, message=LINK_SENT, errors=errors, form=request.form
    ), 422 if errors else 200


@self_bp.get("/r/<token>")
def own_registration(token):
    with transaction() as session:
        registration = by_token(session, token)
        listing = session.get_one(Listing, registration.event_id)
        view = registration_view(session, registration)
        facts = attendance.summary(session, registration, listing)
        online = online_access.how_to_join(session, registration, listing)
        final_test = final_tests.paper(session, registration, listing)
    code = checkin.checkin_code(config().secret_key, registration.id)
    return render_template(
        "own_registration.html",
        registration=view,
        listing=listing,
        token=token,
        qr=checkin.qr_inline(code) if registration.status == "confirmed" else None,
        checkin_code=code if registration.status == "confirmed" else None,
        attendance=facts,
        final_test=final_test,
        online=online,
        new=request.args.get("new"),
    )


@self_bp.post("/r/<token>/cancel")
def cancel(token):
    with transaction() as session:
        registering.cancel(session, token, base_url=config().public_base_url)
    return redirect(url_for("pages_self.own_registration", token=token), code=303)


@self_bp.post("/r/<token>/accept")
def accept(token):
    with transaction() as session:
        offers.accept(session, token)
    return redirect(url_for("pages_self.own_registration", token=token), code=303)


@self_bp.post("/r/<token>/erase")
def erase(token):
    with transaction() as session:
        listing_slug = session.get_one(Listing, by_token(session, token).event_id).slug
        registration = by_token(session, token, for_update=True)
        privacy.erase(session, registration, reason="request", base_url=config().public_base_url)
    return render_template("erased.html", slug=listing_slug)
