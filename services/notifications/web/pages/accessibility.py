"""The accessibility statement (in the structure of AgID's model) and its
feedback form: a report reaches the accessibility contact by mail through
the ordinary pipeline, at most a few per client address
(web/feedback_throttle.py); an invalid one is answered 422 with the field
named beside it."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import Schema, ValidationError, fields, validate

from shared.errors import TooManyRequests
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import current_language, translate
from shared.web.pages import html_errors

from ...accessibility_feedback import MESSAGE_LIMIT, PAGE_LIMIT, send_feedback
from ..context import config
from ..feedback_throttle import check_and_count
from . import TEMPLATE_FOLDER

bp = html_errors(Blueprint("accessibility_pages", __name__, template_folder=TEMPLATE_FOLDER))
AGID_FORM = "https://form.agid.gov.it/"  # where AgID takes reports for its Digital Ombudsman


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Missing data for required field.")


def _one_line(value: str) -> None:
    if any(ord(char) < 32 or char in "\u2028\u2029" for char in value):
        raise ValidationError("must be one line without control characters")


class FeedbackIn(Schema):
    message = fields.String(required=True, validate=[validate.Length(min=1, max=MESSAGE_LIMIT), _not_blank])
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    page = fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=PAGE_LIMIT), _one_line])


@bp.get("/accessibility")
def statement():
    return _statement(form={}, errors={}), 200


@bp.post("/accessibility/feedback")
def feedback():
    form = request.form
    try:
        values = FeedbackIn().load(
            {name: (form.get(name) or "").strip() or None for name in ("email", "page")}
            | {"message": form.get("message", "")}
        )
    except ValidationError as exc:
        return _statement(form=form, errors=errors_of(exc)), 422
    try:
        check_and_count()
    except TooManyRequests as exc:
        raise TooManyRequests(
            translate("Troppe segnalazioni da questo indirizzo: riprova più tardi."), retry_after=exc.retry_after
        ) from exc
    with transaction() as session:
        send_feedback(session, config(), language=current_language(), **values)
    return redirect(url_for(".thanks"), code=303)


@bp.get("/accessibility/thanks")
def thanks():
    return render_template("accessibility_thanks.html", contact=config().accessibility_contact)


def _statement(*, form, errors: dict[str, str]) -> str:
    settings = config()
    return render_template(
        "accessibility.html",
        operator=settings.organizer_name,
        site=settings.settings.public_base_url,
        contact=settings.accessibility_contact,
        written=settings.accessibility_statement_date,
        reviewed=settings.accessibility_reviewed_date,
        agid_form=AGID_FORM,
        form=form,
        errors=errors,
        message_limit=MESSAGE_LIMIT,
    )
