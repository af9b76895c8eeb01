"""Server-rendered pages: the mail page (what the system sent, each mail
with its text, an HTML preview in a sandboxed frame and its calendar and
other parts to download; on only where MAIL_PAGE_PUBLIC=1, the embedded
default, else not found) and the participant's agenda page (feed links,
rotate, revoke), opened with the registration's manage link token."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, url_for

from shared.web.context import transaction

from ... import deliveries
from ...calendar import feed_tokens
from ..context import config
from ..presenters import leaves, mail_view
from . import TEMPLATE_FOLDER

bp = Blueprint("pages", __name__, template_folder=TEMPLATE_FOLDER)


def _page_enabled() -> None:
    if not config().mail_page_public:
        abort(404)


@bp.get("/mail")
def mail_list():
    _page_enabled()
    with transaction() as session:
        rows = deliveries.list_deliveries(session)
    return render_template("mail_list.html", deliveries=rows)


@bp.get("/mail/<int:delivery_id>")
def mail_detail(delivery_id):
    _page_enabled()
    with transaction() as session:
        delivery = deliveries.get_delivery(session, delivery_id)
    return Response(render_template("mail_detail.html", delivery=delivery, **mail_view(delivery.raw)))


@bp.get("/mail/<int:delivery_id>/parts/<int:index>")
def mail_part(delivery_id, index):
    """One part as a download: text/calendar as <n>.ics, attachments by name."""
    _page_enabled()
    with transaction() as session:
        delivery = deliveries.get_delivery(session, delivery_id)
    _message, parts = leaves(delivery.raw)
    if index >= len(parts):
        abort(404)
    part = parts[index]
    kind = part.get_content_type()
    name = part.get_filename() or (
        f"mail-{delivery_id}-{index}.ics" if kind == "text/calendar" else f"mail-{delivery_id}-{index}.bin"
    )
    return Response(
        part.get_payload(decode=True),
        mimetype=kind,
        headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}"', "X-Content-Type-Options": "nosniff"},
    )


def _ascii(name: str) -> str:
    return "".join(c for c in name if c.isascii() and c not in '"\\\r\n') or "part"


@bp.get("/mail/<int:delivery_id>.eml")
def mail_raw(delivery_id):
    _page_enabled()
    with transaction() as session:
        delivery = deliveries.get_delivery(session, delivery_id)
    return Response(
        delivery.raw,
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="mail-{delivery_id}.eml"'},
    )


@bp.get("/agenda/<manage_token>")
def agenda_page(manage_token):
    with transaction() as session:
        registration_id = feed_tokens.registration_of_link(session, manage_token)
        token = feed_tokens.ensure_feed(session, registration_id).token
    links = feed_tokens.feed_links(config(), token) if token else None
    response = Response(render_template("agenda.html", links=links, manage_token=manage_token))
    response.headers.update({"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"})
    return response


@bp.post("/agenda/<manage_token>/<any(rotate, revoke):action>")
def agenda_action(manage_token, action):
    with transaction() as session:
        registration_id = feed_tokens.registration_of_link(session, manage_token)
        feed = feed_tokens.ensure_feed(session, registration_id)
        if action == "rotate":
            feed_tokens.rotate(feed)
        else:
            feed_tokens.revoke(feed)
    return redirect(url_for("pages.agenda_page", manage_token=manage_token), code=303)
