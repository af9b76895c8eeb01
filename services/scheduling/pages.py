"""Public pages of scheduling: the upcoming events (filter by type and
month) and an event's page (description, programme by day with rooms and
tracks, speakers, seats left, add to calendar)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from flask import Blueprint, render_template, request

from shared.errors import NotFound
from shared.events.fields import EVENT_TYPES
from shared.formatting import month_label, type_label
from shared.web.context import ctx, transaction
from shared.web.i18n import current_language
from shared.web.pages import html_errors

from . import releases, services
from .links import event_links

bp = html_errors(Blueprint("pages", __name__, template_folder="templates"))
ROME = zoneinfo.ZoneInfo("Europe/Rome")
MONTHS_AHEAD = 12


@bp.get("/")
def event_list():
    event_type = request.args.get("type") if request.args.get("type") in EVENT_TYPES else None
    month = _month(request.args.get("month"))
    now = dt.datetime.now(dt.timezone.utc)
    bounds = _month_bounds(*month) if month else {}
    with transaction() as session:
        events, _ = services.list_events(session, event_type=event_type, upcoming_from=now, page_size=100, **bounds)
    lang = current_language()
    return render_template(
        "event_list.html",
        events=events,
        chosen_type=event_type or "",
        chosen_month=request.args.get("month", "") if month else "",
        types=[(t, type_label(t, lang)) for t in EVENT_TYPES],
        months=_month_options(now, lang),
    )


def _month(value: str | None) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return (year, month) if 1 <= month <= 12 and 2000 <= year <= 2200 else None
    except ValueError:
        return None


def _month_bounds(year: int, month: int) -> dict:
    first = dt.datetime(year, month, 1, tzinfo=ROME)
    following = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=ROME)
    return {"ends_after": first.astimezone(dt.timezone.utc), "starts_before": following.astimezone(dt.timezone.utc)}


def _month_options(now: dt.datetime, lang: str) -> list[tuple[str, str]]:
    local = now.astimezone(ROME)
    months = [((local.month - 1 + n) // 12 + local.year, (local.month - 1 + n) % 12 + 1) for n in range(MONTHS_AHEAD)]
    return [(f"{year}-{month:02d}", month_label(year, month, lang)) for year, month in months]


@bp.get("/events/<slug>")
def event_page(slug):
    with transaction() as session:
        event = services.get_event(session, slug)
        try:
            schedule = releases.released_schedule(session, slug)
        except NotFound:
            schedule = None
    return render_template(
        "event_page.html",
        event=event,
        days=programme_days(schedule) if schedule else [],
        schedule=schedule,
        speakers=schedule.snapshot["speakers"] if schedule else [],
        links=event_links(ctx().settings.public_base_url, slug),
    )


def programme_days(schedule) -> list[tuple[dt.date, list]]:
    """The released sessions and breaks by local day, each with its local times."""
    zone = zoneinfo.ZoneInfo(schedule.event.timezone)
    days: dict[dt.date, list] = {}
    for item in schedule.sessions:
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        days.setdefault(start.date(), []).append((start, end, item))
    return sorted(days.items())
