"""The public verification page of a certificate (HTML, or JSON for
`Accept: application/json`) and the download of its signed PDF with the
secret token of the certificate.issued download_url."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from shared.errors import DomainError
from shared.web.api import error_body
from shared.web.context import transaction
from shared.web.i18n import current_language, localized, translate

from ... import certificate_verification
from ...certificate_pdf import format_number
from . import TEMPLATE_FOLDER

bp = Blueprint("certificate_pages", __name__, url_prefix="/certificates", template_folder=TEMPLATE_FOLDER)


@bp.errorhandler(DomainError)
def _refused(exc: DomainError):
    """A browser gets a page, a program the JSON body naming the field."""
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        if exc.status == 410:
            message = translate("Questo attestato non è più disponibile.")
        else:
            message = translate("Nessun attestato per questo link.")
        return render_template("error.html", status=exc.status, message=message), exc.status
    return jsonify(error_body(exc.status, exc.message, exc.field, exc.location)), exc.status


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.get("/<certificate_id>")
def verification(certificate_id):
    with transaction() as session:
        answer = certificate_verification.verify(session, certificate_id)
    status = 200 if answer.known else 404
    if _wants_json():
        response = jsonify(answer.as_json())
        response.status_code = status
    else:
        page = render_template("certificate_verification.html", answer=answer, **_readable(answer))
        response = Response(page, status=status)
    response.headers["Cache-Control"] = "no-cache"  # a revocation shows at once
    response.vary.add("Accept")
    return response


def _readable(answer: certificate_verification.Verification) -> dict:
    """Hours and credits as the page's language writes numbers."""
    lang = current_language()
    credits = [
        f"{format_number(c['amount'], lang)} {c['unit'] or localized(c['name'], lang)}"
        + (f" ({localized(c['name'], lang)})" if c["unit"] else "")
        for c in answer.credits
    ]
    hours = format_number(answer.hours, lang) if answer.hours is not None else ""
    return {"hours": hours, "credits": credits}


@bp.get("/<certificate_id>/pdf")
def download(certificate_id):
    with transaction() as session:
        pdf = certificate_verification.signed_pdf(session, certificate_id, request.args.get("token") or "")
    name = "".join(c for c in certificate_id if c.isalnum() or c == "-")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{name}.pdf"',
            "Cache-Control": "private, no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )
