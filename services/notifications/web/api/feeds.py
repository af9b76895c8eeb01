"""The private agenda feed over HTTP, at a URL that must stay stable:

    /notifications/feeds/<token>.ics

No login (Google fetches from its own servers): the random token is the
key. A strong ETag (hash of the body) answers If-None-Match with 304; failing
that, If-Modified-Since is compared with a Last-Modified that never moves
backwards. `Cache-Control: private`: no shared cache may keep a personal
feed. A rotated or revoked token is a 404."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, request
from werkzeug.http import http_date, parse_date
from werkzeug.wrappers import Response

from shared.db import utcnow
from shared.web.context import transaction

from ...calendar.agenda import FeedBody, render_feed
from ...calendar.feed_tokens import by_token
from ..context import config

bp = Blueprint("feeds", __name__)

ICS = "text/calendar; charset=utf-8"


def now() -> dt.datetime:
    """The request's time (a test may set CLOCK)."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else utcnow()


@bp.get("/feeds/<token>.ics")
def agenda_feed(token):
    with transaction() as session:
        feed = by_token(session, token, for_update=True)
        rendered = render_feed(session, config(), feed, now())
    headers = [
        ("ETag", rendered.etag),
        ("Last-Modified", http_date(rendered.last_modified)),
        ("Cache-Control", "private"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Robots-Tag", "noindex"),
    ]
    if not_modified(request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"), rendered):
        return FeedResponse(status=304, headers=headers)
    headers.append(("Content-Disposition", 'inline; filename="agenda.ics"'))
    return FeedResponse(rendered.body, status=200, headers=headers, content_type=ICS)


def not_modified(if_none_match: str | None, if_modified_since: str | None, rendered: FeedBody) -> bool:
    """If-None-Match decides when present (`*` or a listed tag, W/ ignored);
    only without it is If-Modified-Since read (unreadable dates ignored)."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or rendered.etag in tags
    if if_modified_since:
        since = parse_date(if_modified_since)
        return since is not None and rendered.last_modified <= since
    return False


class FeedResponse(Response):
    default_mimetype = None  # a 304 carries no Content-Type
