"""Public pages of scheduling: the event list and event pages."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from flask import Blueprint, render_template

from shared.errors import NotFound
from shared.formatting import format_when, type_label
from shared.webapp import ctx, transaction

from . import releases, services
from .links import event_links

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
        try:
            schedule = releases.released_schedule(session, slug)
        except NotFound:
            schedule = None
    days = programme_days(schedule) if schedule else []
    return render_template("event_page.html", event=event, days=days, schedule=schedule,
                           links=event_links(ctx().settings.public_base_url, slug))


def programme_days(schedule) -> list[tuple[dt.date, list]]:
    """The released sessions and breaks by local day, each with its local times."""
    zone = zoneinfo.ZoneInfo(schedule.event.timezone)
    days: dict[dt.date, list] = {}
    for item in schedule.sessions:
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        days.setdefault(start.date(), []).append((start, end, item))
    return sorted(days.items())
