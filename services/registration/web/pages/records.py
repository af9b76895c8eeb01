"""Training record pages: the form where a person asks for the link (the same
answer whether the address is known or not), the record behind the link
(page, PDF, CSV), and the organisers' summary of an organisation (page, CSV, XLSX)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from marshmallow import ValidationError

from shared.errors import NotFound
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.form_errors import field_errors
from shared.web.i18n import current_language
from shared.web.pages import html_errors

from ... import exports, organiser, record_pdf, training_records
from ..context import config
from ..presenters import XLSX, attachment
from ..schemas.surveys import RecordLinkIn

links_bp = html_errors(Blueprint("record_link_pages", __name__))
self_bp = html_errors(Blueprint("record_pages", __name__))
organiser_bp = html_errors(
    Blueprint("training_organiser_pages", __name__, url_prefix="/organiser/organisations/<organisation_id>")
)


@links_bp.route("/record", methods=["GET", "POST"])
def request_link():
    sent, errors = False, {}
    if request.method == "POST":
        try:
            body = RecordLinkIn().load({"email": request.form.get("email", ""), "locale": current_language()})
            with transaction() as session:
                training_records.request_link(session, body["email"], body["locale"], base_url=config().public_base_url)
            sent = True
        except ValidationError as exc:
            errors = field_errors(exc.messages if isinstance(exc.messages, dict) else {"email": exc.messages})
    return render_template("record_request.html", sent=sent, errors=errors, form=request.form), 422 if errors else 200


@self_bp.get("/record/<token>")
def record(token):
    with transaction() as session:
        found = training_records.record_of(session, training_records.email_of(session, token))
    return render_template("record.html", record=found, token=token)


@self_bp.get("/record/<token>.pdf")
def record_as_pdf(token):
    with transaction() as session:
        found = training_records.record_of(session, training_records.email_of(session, token))
    body = record_pdf.record_pdf(found, current_language())
    return Response(body, mimetype="application/pdf", headers=attachment("libretto-formativo.pdf"))


@self_bp.get("/record/<token>.csv")
def record_as_csv(token):
    with transaction() as session:
        found = training_records.record_of(session, training_records.email_of(session, token))
    header, rows = training_records.record_table(found)
    return Response(exports.to_csv(header, rows), mimetype="text/csv", headers=attachment("libretto-formativo.csv"))


def _summary(staff, organisation_id: str):
    grouping = request.args.get("group")
    grouping = grouping if grouping in training_records.GROUPINGS else "participants"
    staff.require_role([organisation_id], *organiser.MANAGE, not_found=NotFound("no such organisation"))
    with transaction() as session:
        return grouping, training_records.organisation_summary(session, organisation_id, grouping)


@organiser_bp.get("/training")
@organiser_required
def summary(staff, organisation_id):
    grouping, lines = _summary(staff, organisation_id)
    return render_template("organiser/training.html", organisation_id=organisation_id, grouping=grouping, lines=lines)


@organiser_bp.get("/training.<any(csv, xlsx):kind>")
@organiser_required
def summary_export(staff, organisation_id, kind):
    grouping, lines = _summary(staff, organisation_id)
    header, rows = training_records.organisation_table(lines)
    name = f"formazione-{grouping}"
    if kind == "csv":
        return Response(exports.to_csv(header, rows), mimetype="text/csv", headers=attachment(f"{name}.csv"))
    return Response(exports.to_xlsx(header, rows, "Formazione"), mimetype=XLSX, headers=attachment(f"{name}.xlsx"))
