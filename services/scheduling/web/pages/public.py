"""Public pages of scheduling: the upcoming events (filter by type and
month) and an event's page (description, programme by day with rooms and
tracks, speakers, seats left, add to calendar)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request

from shared.errors import NotFound
from shared.events.fields import EVENT_TYPES
from shared.web.context import transaction
from shared.web.i18n import current_language
from shared.web.pages import html_errors

from ... import events
from ...credit_grants import credit_amounts
from ...links import event_links
from ...programme import releases
from ..context import config
from ..presenters import (
    course_hours,
    credit_labels,
    decimal_text,
    event_delivery,
    event_json_ld,
    event_types,
    month_options,
    programme_days,
    session_deliveries,
    session_training,
)

bp = html_errors(Blueprint("pages", __name__))


@bp.get("/")
def event_list():
    event_type = request.args.get("type") if request.args.get("type") in EVENT_TYPES else None
    month = _month(request.args.get("month"))
    now = dt.datetime.now(dt.timezone.utc)
    bounds = events.month_of(*month) if month else {}
    with transaction() as session:
        found, _ = events.list_events(session, event_type=event_type, upcoming_from=now, page_size=100, **bounds)
    lang = current_language()
    return render_template(
        "event_list.html",
        events=found,
        chosen_type=event_type or "",
        chosen_month=request.args.get("month", "") if month else "",
        types=event_types(lang),
        months=month_options(now, lang),
        deliveries={event.id: event_delivery(event, lang) for event in found},
    )


def _month(value: str | None) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return (year, month) if 1 <= month <= 12 and 2000 <= year <= 2200 else None
    except ValueError:
        return None


@bp.get("/events/<slug>")
def event_page(slug):
    with transaction() as session:
        event = events.get_event(session, slug)
        try:
            schedule = releases.released_schedule(session, slug)
        except NotFound:
            schedule = None
        credits = credit_amounts(event.credits)
    links, lang = event_links(config().public_base_url, slug), current_language()
    hours = course_hours(schedule)
    return render_template(
        "event_page.html",
        event=event,
        delivery=event_delivery(event, lang),
        json_ld=event_json_ld(event, links["page"], lang),
        days=programme_days(schedule) if schedule else [],
        session_deliveries=session_deliveries(schedule, lang) if schedule else {},
        course_hours=decimal_text(hours, lang) if hours else None,
        event_credits=credit_labels(credits, lang),
        session_training=session_training(schedule, lang) if schedule else {},
        schedule=schedule,
        speakers=schedule.snapshot["speakers"] if schedule else [],
        links=links,
    )
