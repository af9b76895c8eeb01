"""The mail page: what the system sent, with each mail's text and calendar
parts. It shows mail content, so it is on only where MAIL_PAGE_PUBLIC=1
(the embedded default); elsewhere it is not found."""

from __future__ import annotations

import os
from email import message_from_bytes, policy

from flask import Blueprint, Response, abort, render_template

from shared.webapp import transaction

from . import services

bp = Blueprint("pages", __name__, template_folder="templates/pages")


def _page_enabled() -> None:
    if os.environ.get("MAIL_PAGE_PUBLIC") != "1":
        abort(404)


@bp.get("/mail")
def mail_list():
    _page_enabled()
    with transaction() as session:
        deliveries = services.list_deliveries(session)
    return render_template("mail_list.html", deliveries=deliveries)


@bp.get("/mail/<int:delivery_id>")
def mail_detail(delivery_id):
    _page_enabled()
    with transaction() as session:
        delivery = services.get_delivery(session, delivery_id)
    message = message_from_bytes(delivery.raw, policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    calendars = [part.get_content() for part in message.walk() if part.get_content_type() == "text/calendar"]
    return render_template("mail_detail.html", delivery=delivery, message=message,
                           text=text.get_content() if text else "", calendar=calendars[0] if calendars else None)


@bp.get("/mail/<int:delivery_id>.eml")
def mail_raw(delivery_id):
    _page_enabled()
    with transaction() as session:
        delivery = services.get_delivery(session, delivery_id)
    return Response(delivery.raw, mimetype="message/rfc822",
                    headers={"Content-Disposition": f'attachment; filename="mail-{delivery_id}.eml"'})
