"""The List-Unsubscribe link of reminders and change digests. The header's
address, under /api/ (no CSRF token: a mail client POSTs
`List-Unsubscribe=One-Click` there, RFC 8058), unsubscribes on POST and sends
a browser that opens it to the page, which asks before doing anything (link
scanners only GET). Never Cache-Control'd publicly: the token names a person."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from shared.web.context import transaction
from shared.web.pages import html_errors

from ... import unsubscribing
from ..context import config
from . import TEMPLATE_FOLDER

bp = html_errors(Blueprint("unsubscribe_pages", __name__, template_folder=TEMPLATE_FOLDER))
one_click_bp = Blueprint("unsubscribe_one_click", __name__, url_prefix="/api/v1/unsubscribe")


@one_click_bp.route("/<token>", methods=["GET", "POST"])
def one_click(token):
    if request.method == "GET":
        return redirect(url_for("unsubscribe_pages.page", token=token), code=303)
    with transaction() as session:
        unsubscribing.unsubscribe(session, config().settings.secret_key, token)
    return jsonify({"unsubscribed": True})


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def page(token):
    with transaction() as session:
        if request.method == "POST":
            attendee = unsubscribing.unsubscribe(session, config().settings.secret_key, token)
        else:
            attendee = unsubscribing.attendee_of(session, config().settings.secret_key, token)
        done = attendee.unsubscribed_at is not None
    response = render_template("unsubscribe.html", token=token, done=done)
    return response, 200, {"Cache-Control": "private, no-store"}
