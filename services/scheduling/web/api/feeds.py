"""The public schedule files over HTTP, at URLs that must stay stable:

    /events/<slug>/schedule.ics                       the whole event
    /events/<slug>/rooms/<room-id>/schedule.ics       one room
    /events/<slug>/tracks/<track-id>/schedule.ics     one track
    /events/<slug>/speakers/<speaker-id>/schedule.ics one speaker
    /events/<slug>/schedule.xml                       frab
    /events/<slug>/schedule.json                      c3voc

(under /scheduling on the gateway). Each answers with a strong ETag (a hash
of the body) and a Last-Modified that never goes backwards, and with 304 to
If-None-Match, or failing that If-Modified-Since (RFC 9110 13.2.2). Clients
that accept gzip (calendar clients do) get the body compressed once per
process, under its own strong ETag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, current_app, request
from werkzeug.http import parse_date
from werkzeug.wrappers import Response

from shared.db import utcnow
from shared.errors import NotFound

from ...exports import c3voc_json, frab_xml
from ...feeds import FeedTarget, UnknownFeed, build_feed, host_of
from ...links import event_url
from ...schedule_cache import Rendered
from ..context import config, schedule_cache

bp = Blueprint("feeds", __name__)

ICS = "text/calendar; charset=utf-8"
CACHE_CONTROL = "public, max-age=60"


@bp.get("/events/<slug>/schedule.ics")
def event_feed(slug):
    return _feed(slug, FeedTarget())


@bp.get("/events/<slug>/<any(rooms, tracks, speakers):kind>/<key>/schedule.ics")
def filtered_feed(slug, kind, key):
    return _feed(slug, FeedTarget(kind[:-1], key))


@bp.get("/events/<slug>/schedule.xml")
def frab_schedule(slug):
    page = event_url(config().public_base_url, slug)
    return _serve(
        slug,
        "frab",
        lambda s: frab_xml(s, event_url=page, xml_url=f"{page}/schedule.xml"),
        "application/xml; charset=utf-8",
        "schedule.xml",
    )


@bp.get("/events/<slug>/schedule.json")
def c3voc_schedule(slug):
    page = event_url(config().public_base_url, slug)
    return _serve(slug, "c3voc", lambda s: c3voc_json(s, event_url=page), "application/json", "schedule.json")


def _feed(slug: str, target: FeedTarget):
    base, now = config().public_base_url, _now()
    host, page = host_of(base), event_url(base, slug)
    filename = f"{slug}.ics" if target.kind is None else f"{slug}-{target.kind}.ics"
    return _serve(
        slug, target.path, lambda s: build_feed(s, target, host=host, event_url=page, now=now), ICS, filename, now=now
    )


def _serve(
    slug: str, output: str, render: Callable, media_type: str, filename: str, now: dt.datetime | None = None
) -> Response:
    try:
        rendered = schedule_cache().rendered(slug, output, render, now or _now())
    except UnknownFeed as exc:
        raise NotFound(str(exc.args[0]), field="id") from None
    if rendered is None:
        raise NotFound(f"no released schedule for event {slug!r}", field="slug")
    environ = request.environ
    gzipped = "HTTP_ACCEPT_ENCODING" in environ and request.accept_encodings["gzip"] > 0
    body, etag = rendered.gzipped if gzipped else (rendered.body, rendered.etag)
    headers = _headers(rendered, etag, gzipped)
    if not_modified(environ.get("HTTP_IF_NONE_MATCH"), environ.get("HTTP_IF_MODIFIED_SINCE"), rendered):
        return FeedResponse(status=304, headers=headers)
    headers.append(("Content-Disposition", f'inline; filename="{filename}"'))
    return FeedResponse(body, status=200, headers=headers, content_type=media_type)


def not_modified(if_none_match: str | None, if_modified_since: str | None, rendered: Rendered) -> bool:
    """If-None-Match decides when present (weak comparison, `*` matches);
    only without it is If-Modified-Since read (an unreadable date is ignored)."""
    if if_none_match is not None:
        tags = {_opaque(tag.strip()) for tag in if_none_match.split(",")}
        return "*" in tags or bool(tags & {rendered.etag, rendered.etag[:-1] + '-gzip"'})
    if if_modified_since:
        since = parse_date(if_modified_since)
        return since is not None and rendered.last_modified <= since
    return False


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


class FeedResponse(Response):
    default_mimetype = None  # a 304 carries no Content-Type


def _headers(rendered: Rendered, etag: str, gzipped: bool) -> list[tuple[str, str]]:
    headers = [
        ("ETag", etag),
        ("Last-Modified", rendered.http_date),
        ("Cache-Control", CACHE_CONTROL),
        ("Vary", "Accept-Encoding"),
        ("Access-Control-Allow-Origin", "*"),
    ]
    return headers + [("Content-Encoding", "gzip")] if gzipped else headers


def _now() -> dt.datetime:
    clock = current_app.config.get("CLOCK")
    return clock() if clock else utcnow()
