"""Public pages of scheduling: the event list and event pages."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template

from shared.formatting import format_when, type_label
from shared.webapp import transaction

from . import services

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.app_template_global()
def when(event) -> str:
    return format_when(event.starts_at, event.ends_at, event.timezone)


@bp.app_template_global()
def kind(event) -> str:
    return type_label(event.type)


@bp.get("/")
def event_list():
    with transaction() as session:
        events, _ = services.list_events(session, upcoming_from=dt.datetime.now(dt.timezone.utc), page_size=100)
    return render_template("event_list.html", events=events)


@bp.get("/events/<slug>")
def event_page(slug):
    with transaction() as session:
        event = services.get_event(session, slug)
    return render_template("event_page.html", event=event)
