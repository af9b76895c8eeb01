"""Events: creating, editing, publishing and cancelling them (published ones
tell the other services through `event.*` messages), and the public and
organisers' lists. Each use case takes a session and plain data and never
commits."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.errors import Conflict, NotFound, Unprocessable
from shared.formatting import DEFAULT_TIMEZONE
from shared.messaging import add_event

from .credit_grants import credit_amounts, granted, set_event_credits
from .delivery import ONLINE_MODES, check_event_delivery, sessions_left_without_room
from .links import event_url, slugify
from .models import Event, EventOrganisation, Organisation, ProgrammeSession

HOME = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)  # the days and months the listings speak of


def days_between(first: dt.date | None, last: dt.date | None) -> dict:
    """`list_events` bounds for whole local days from `first` to `last` (each optional)."""
    return {
        "ends_after": _midnight(first) if first else None,
        "starts_before": _midnight(last + dt.timedelta(days=1)) if last else None,
    }


def month_of(year: int, month: int) -> dict:
    """`list_events` bounds for a whole local month."""
    following = (year + month // 12, month % 12 + 1)
    return {"ends_after": _midnight(dt.date(year, month, 1)), "starts_before": _midnight(dt.date(*following, 1))}


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), HOME).astimezone(dt.timezone.utc)


def create_event(session: Session, organiser: Organiser, data: dict) -> Event:
    # An admin belongs to no organisation, so must name them; duplicates are
    # folded (each would be a second event_organisations row, a 500).
    organisation_ids = list(dict.fromkeys(data.pop("organisation_ids", None) or list(organiser.roles)))
    if not organisation_ids:
        raise Unprocessable("an event needs at least one organisation", field="organisation_ids")
    strangers = [org for org in organisation_ids if org not in organiser.roles]
    organiser.require_role(
        organisation_ids,
        "owner",
        "organiser",
        not_found=Unprocessable(f"unknown organisation(s): {', '.join(strangers)}", field="organisation_ids"),
    )
    _check_organisations_exist(session, organisation_ids)
    _check_times(data["starts_at"], data["ends_at"])
    slug = data.pop("slug", None) or _free_slug(session, data["title_it"], data["starts_at"])
    if session.scalar(select(Event).where(Event.slug == slug)):
        raise Conflict(f"slug {slug!r} is taken", field="slug")
    room = data.pop("online", None)
    check_event_delivery(data.get("delivery_mode") or "in_person", room)
    credits = granted(session, organisation_ids, data.pop("credits", None) or [])
    event = Event(slug=slug, **data)
    event.set_online(room)
    event.organisations = [EventOrganisation(organisation_id=org) for org in organisation_ids]
    set_event_credits(event, credits)
    session.add(event)
    session.flush()
    return event


def publish_event(session: Session, organiser: Organiser, slug: str, public_base_url: str) -> Event:
    event = _editable_event(session, organiser, slug)
    event.publish()
    add_event(session, "event.published", event_data(event, public_base_url))
    return event


def cancel_event(session: Session, organiser: Organiser, slug: str, public_base_url: str) -> Event:
    event = _editable_event(session, organiser, slug)
    was_public = event.status == "published"
    event.cancel()
    if was_public:
        add_event(session, "event.cancelled", event_data(event, public_base_url))
    return event


EDITABLE = (
    "title_it",
    "title_en",
    "description_it",
    "description_en",
    "type",
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "approval_required",
    "delivery_mode",
    "join_link_lead_minutes",
)


def update_event(session: Session, organiser: Organiser, slug: str, data: dict, public_base_url: str) -> Event:
    """Change an event's details (any of EDITABLE, `online`, its room, and
    `credits`, given whole); a published one tells the others (`event.updated`)."""
    event = _editable_event(session, organiser, slug)
    if event.status == "cancelled":
        raise Conflict("a cancelled event cannot be changed", field="status")
    changes = {key: value for key, value in data.items() if key in EDITABLE and getattr(event, key) != value}
    _check_times(changes.get("starts_at", event.starts_at), changes.get("ends_at", event.ends_at))
    room = _room_after(event, data)
    _check_delivery(session, event, changes.get("delivery_mode", event.delivery_mode), room)
    credits = granted(session, event.organisation_ids, data["credits"]) if "credits" in data else None
    credits_changed = credits is not None and set_event_credits(event, credits)
    if not changes and room == event.online and not credits_changed:
        return event
    for key, value in changes.items():
        setattr(event, key, value)
    event.set_online(room)
    event.touch()
    if event.status == "published":
        add_event(session, "event.updated", event_data(event, public_base_url))
    return event


def organised_events(session: Session, organiser: Organiser) -> list[Event]:
    """Every event of the organiser's organisations (all for admins), drafts included, newest first."""
    query = select(Event)
    if not organiser.is_admin:
        query = query.where(
            Event.id.in_(
                select(EventOrganisation.event_id).where(EventOrganisation.organisation_id.in_(list(organiser.roles)))
            )
        )
    return list(session.scalars(query.order_by(Event.starts_at.desc(), Event.slug)))


def get_event(session: Session, slug: str, organiser: Organiser | None = None) -> Event:
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None or (event.status == "draft" and not _may_see_drafts(organiser, event)):
        raise NotFound(f"no event {slug!r}", field="slug")
    return event


def list_events(
    session: Session,
    *,
    event_type: str | None = None,
    upcoming_from: dt.datetime | None = None,
    organisation: str | None = None,
    ends_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[Event], int]:
    """Public events; `organisation` is an organisation's id or slug; the
    date range keeps events overlapping [ends_after, starts_before)."""
    query = select(Event).where(Event.status != "draft")
    if event_type:
        query = query.where(Event.type == event_type)
    if upcoming_from:
        query = query.where(Event.ends_at >= upcoming_from)
    if organisation:
        organisations = select(Organisation.id).where(
            or_(Organisation.id == organisation, Organisation.slug == organisation)
        )
        query = query.where(
            Event.id.in_(select(EventOrganisation.event_id).where(EventOrganisation.organisation_id.in_(organisations)))
        )
    if ends_after:
        query = query.where(Event.ends_at > ends_after)
    if starts_before:
        query = query.where(Event.starts_at < starts_before)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = session.scalars(
        query.order_by(Event.starts_at, Event.slug).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return list(events), total


def event_data(event: Event, public_base_url: str) -> dict:
    """The event as `event.*` messages carry it (shared/events/catalogue.py)."""
    return {
        "event_id": event.id,
        "slug": event.slug,
        "revision": event.revision,
        "status": event.status,
        "type": event.type,
        "title": {"it": event.title_it, "en": event.title_en},
        "description": {"it": event.description_it or "", "en": event.description_en},
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "timezone": event.timezone,
        "venue": event.venue,
        "capacity": event.capacity,
        "registration": {
            "opens_at": event.registration_opens_at,
            "closes_at": event.registration_closes_at,
            "approval_required": event.approval_required,
        },
        "url": event_url(public_base_url, event.slug),
        "organisation_ids": list(event.organisation_ids),
        "delivery_mode": event.delivery_mode,
        "online": event.online,
        "join_link_lead_minutes": event.join_link_lead_minutes,
        "credits": credit_amounts(event.credits),
    }


def _room_after(event: Event, data: dict) -> dict | None:
    """The room an update leaves: the one given (None clears it), else the
    stored one, which a change to in person clears."""
    if "online" in data:
        return data["online"]
    return event.online if data.get("delivery_mode", event.delivery_mode) in ONLINE_MODES else None


def _check_delivery(session: Session, event: Event, mode: str, room: dict | None) -> None:
    check_event_delivery(mode, room)
    active = session.scalars(
        select(ProgrammeSession).where(ProgrammeSession.event_id == event.id, ProgrammeSession.status == "active")
    )
    stranded = sessions_left_without_room(active, mode, room)
    if stranded:
        ids = ", ".join(str(row.id) for row in stranded)
        raise Unprocessable(f"session(s) {ids} are online and use the event's online room", field="online")


def _editable_event(session: Session, organiser: Organiser, slug: str) -> Event:
    event = session.scalar(select(Event).where(Event.slug == slug).with_for_update())
    if event is None:
        raise NotFound(f"no event {slug!r}", field="slug")
    organiser.require_role(
        event.organisation_ids, "owner", "organiser", not_found=NotFound(f"no event {slug!r}", field="slug")
    )
    return event


def organises(organiser: Organiser, event: Event) -> bool:
    """Whether the organiser may edit the event (and so see its online room)."""
    return organiser.is_admin or any(organiser.roles.get(o) in ("owner", "organiser") for o in event.organisation_ids)


def _may_see_drafts(organiser: Organiser | None, event: Event) -> bool:
    return organiser is not None and (organiser.is_admin or any(o in organiser.roles for o in event.organisation_ids))


def _check_organisations_exist(session: Session, organisation_ids: list[str]) -> None:
    # Checked here: an unknown id would otherwise reach the foreign key and answer 500.
    known = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(organisation_ids))))
    unknown = [org for org in organisation_ids if org not in known]
    if unknown:
        raise Unprocessable(f"unknown organisation(s): {', '.join(unknown)}", field="organisation_ids")


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise Unprocessable("must be after starts_at", field="ends_at")


def _free_slug(session: Session, title: str, starts_at: dt.datetime) -> str:
    base = f"{slugify(title)[:80]}-{starts_at:%Y}"
    slug, n = base, 2
    while session.scalar(select(Event.id).where(Event.slug == slug)):
        slug, n = f"{base}-{n}", n + 1
    return slug
