"""Participant pages: the registration form and the personal page behind the
secret link. They call the same use cases as the API."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.formatting import format_when
from shared.webapp import ctx, transaction

from . import services
from .schemas import ParticipantIn

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.app_template_global()
def when(item) -> str:
    return format_when(item.starts_at, item.ends_at, item.timezone)


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
def register(slug):
    with transaction() as session:
        listing = services.find_listing(session, slug)
    form, errors, status = request.form.to_dict(), {}, 200
    if request.method == "POST":
        try:
            participant = ParticipantIn().load(form)
            with transaction() as session:
                issued = services.register(session, slug, participant, base_url=ctx().settings.public_base_url)
            return redirect(url_for("pages.own_registration", token=issued.token, new=1), code=303)
        except ValidationError as exc:
            errors, status = {field: " ".join(messages) for field, messages in exc.messages.items()}, 422
        except DomainError as exc:  # fix: keep the condition's status (409 registered/closed), as the API does
            errors, status = {exc.field or "form": exc.message}, exc.status
    return render_template("register.html", listing=listing, form=form, errors=errors), status


@bp.get("/r/<token>")
def own_registration(token):
    with transaction() as session:
        registration = services.by_token(session, token)
        listing = session.get(services.Listing, registration.event_id)
        position = services.waitlist_position(session, registration)
    return render_template("own_registration.html", registration=registration, listing=listing,
                           position=position, token=token, new=request.args.get("new"))


@bp.post("/r/<token>/cancel")
def cancel(token):
    with transaction() as session:
        services.cancel(session, token)
    return redirect(url_for("pages.own_registration", token=token), code=303)
