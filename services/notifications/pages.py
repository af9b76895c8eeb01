"""Server-rendered pages: the mail page (what the system sent, each mail
with its text, an HTML preview in a sandboxed frame and its calendar and
other parts to download; on only where MAIL_PAGE_PUBLIC=1, the embedded
default, else not found) and the participant's agenda page (feed links,
rotate, revoke), opened with the registration's manage link token."""

from __future__ import annotations

import os
from email import message_from_bytes, policy

from flask import Blueprint, Response, abort, redirect, render_template, url_for

from shared.web.context import transaction

from . import deliveries, feed_tokens
from .feed_http import notify_config

bp = Blueprint("pages", __name__, template_folder="templates/pages")


def _page_enabled() -> None:
    if os.environ.get("MAIL_PAGE_PUBLIC") != "1":
        abort(404)


@bp.get("/mail")
def mail_list():
    _page_enabled()
    with transaction() as session:
        rows = deliveries.list_deliveries(session)
    return render_template("mail_list.html", deliveries=rows)


def _leaves(raw: bytes) -> tuple:
    message = message_from_bytes(raw, policy=policy.default)
    return message, [part for part in message.walk() if not part.is_multipart()]


@bp.get("/mail/<int:delivery_id>")
def mail_detail(delivery_id):
    _page_enabled()
    with transaction() as session:
        delivery = deliveries.get_delivery(session, delivery_id)
    message, leaves = _leaves(delivery.raw)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    parts = [
        {
            "index": n,
            "type": part.get_content_type(),
            "method": part.get_param("method"),
            "filename": part.get_filename(),
            "calendar": part.get_content_type() == "text/calendar",
            "size": len(part.get_payload(decode=True) or b""),
        }
        for n, part in enumerate(leaves)
        if part.get_content_type() not in ("text/plain", "text/html")
    ]
    calendars = [part.get_content() for part in leaves if part.get_content_type() == "text/calendar"]
    response = Response(
        render_template(
            "mail_detail.html",
            delivery=delivery,
            message=message,
            text=text.get_content() if text else "",
            html=html.get_content() if html else None,
            parts=parts,
            calendar=calendars[0] if calendars else None,
        )
    )
    return response


@bp.get("/mail/<int:delivery_id>/parts/<int:index>")
def mail_part(delivery_id, index):
    """One part as a download: text/calendar as <n>.ics, attachments by name."""
    _page_enabled()
    with transaction() as session:
        delivery = deliveries.get_delivery(session, delivery_id)
    _message, leaves = _leaves(delivery.raw)
    if index >= len(leaves):
        abort(404)
    part = leaves[index]
    kind = part.get_content_type()
    name = part.get_filename() or (
        f"mail-{delivery_id}-{index}.ics" if kind == "text/calendar" else f"mail-{delivery_id}-{index}.bin"
    )
    mimetype = "text/calendar" if kind == "text/calendar" else kind
    return Response(
        part.get_payload(decode=True),
        mimetype=mimetype,
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
        feed = feed_tokens.ensure_feed(session, registration_id)
        token = feed.token
    links = feed_tokens.feed_links(notify_config(), token) if token else None
    response = Response(render_template("agenda.html", links=links, manage_token=manage_token))
    response.headers.update({"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"})
    return response


@bp.post("/agenda/<manage_token>/<any(rotate, revoke):action>")
def agenda_action(manage_token, action):
    with transaction() as session:
        registration_id = feed_tokens.registration_of_link(session, manage_token)
        feed = feed_tokens.ensure_feed(session, registration_id)
        feed_tokens.rotate(feed) if action == "rotate" else feed_tokens.revoke(feed)
    return redirect(url_for("pages.agenda_page", manage_token=manage_token), code=303)
