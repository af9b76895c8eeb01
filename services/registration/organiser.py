"""What organisers see: their events' registrations (filtered, searched,
paged) and the waiting lists, for the event, each category and each workshop.
Access follows the roles in the organiser's token for the event's organisations."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.errors import NotFound

from .models import Category, Listing, ProgrammeSession, Registration, WorkshopSignup
from .store.positions import category_positions, waitlist_position, waitlist_positions
from .store.search import registration_search

MANAGE = ("owner", "organiser")
CHECK_IN = ("owner", "organiser", "checkin")


def listing_for(
    session: Session, organiser: Organiser, slug: str, roles=MANAGE, *, for_update: bool = False
) -> Listing:
    query = select(Listing).where(Listing.slug == slug)
    listing = session.scalar(query.with_for_update() if for_update else query)
    if listing is None:
        raise NotFound(f"no event {slug!r}", field="slug")
    organiser.require_role(
        listing.organisation_ids or [], *roles, not_found=NotFound(f"no event {slug!r}", field="slug")
    )
    return listing


def registration_of(
    session: Session, listing: Listing, registration_id: str, *, for_update: bool = False
) -> Registration:
    registration = session.get(Registration, registration_id, with_for_update=for_update or None)
    if registration is None or registration.event_id != listing.id or registration.erased_at is not None:
        raise NotFound("no such registration for this event", field="registration_id")
    return registration


def search(
    session: Session,
    listing: Listing,
    *,
    status: str | None = None,
    category: str | None = None,
    workshop: int | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Registration], int]:
    """One page of the list in registration order, and how many the filters keep.
    The count and the page's ids come from ix_registrations_listed alone (a deep
    OFFSET steps over index entries, not rows); only the page's rows are read."""
    ids = matching(listing, status=status, category=category, workshop=workshop, q=q).with_only_columns(Registration.id)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    page_ids = session.scalars(
        ids.order_by(Registration.created_at, Registration.id).offset((page - 1) * page_size).limit(page_size)
    ).all()
    if not page_ids:
        return [], total
    found = {r.id: r for r in session.scalars(select(Registration).where(Registration.id.in_(page_ids)))}
    return [found[i] for i in page_ids], total


def search_page(
    session: Session, listing: Listing, **filters
) -> tuple[list[Registration], int, dict[str, int], dict[str, int]]:
    """`search`, with the places in line of the page's waiting registrations: in the
    event's line and in their category's (one query each, not one per row)."""
    rows, total = search(session, listing, **filters)
    waiting_ids = [r.id for r in rows if r.status == "waitlisted"]
    return (
        rows,
        total,
        waitlist_positions(session, listing.id, waiting_ids),
        category_positions(session, listing.id, waiting_ids),
    )


def matching(
    listing: Listing,
    *,
    status: str | None = None,
    category: str | None = None,
    workshop: int | None = None,
    q: str | None = None,
) -> Select[Registration]:
    """The event's registrations (not erased) that the filters and the search keep, unordered."""
    query = select(Registration).where(Registration.event_id == listing.id, Registration.erased_at.is_(None))
    if status:
        query = query.where(Registration.status == status)
    if category:
        query = query.join(Category, Category.id == Registration.category_id).where(Category.code == category)
    if workshop is not None:
        query = query.where(
            Registration.id.in_(
                select(WorkshopSignup.registration_id).where(
                    WorkshopSignup.session_id == workshop, WorkshopSignup.status != "cancelled"
                )
            )
        )
    if q:
        query = query.where(registration_search(q))
    return query


def waiting_lists(session: Session, listing: Listing) -> dict:
    """The event's line, each category's line, each workshop's line, in order."""
    waiting = session.scalars(
        select(Registration)
        .where(Registration.event_id == listing.id, Registration.status == "waitlisted")
        .order_by(Registration.queued_at, Registration.id)
    ).all()
    categories = session.scalars(
        select(Category).where(Category.event_id == listing.id).order_by(Category.position)
    ).all()
    return {
        "event": [_entry(r, i) for i, r in enumerate(waiting, 1)],
        "categories": [
            {
                "code": c.code,
                "quota": c.quota,
                "taken": c.taken,
                "waiting": [_entry(r, i) for i, r in enumerate([r for r in waiting if r.category_id == c.id], 1)],
            }
            for c in categories
        ],
        "workshops": _workshop_lines(session, listing),
    }


def _workshop_lines(session: Session, listing: Listing) -> list[dict]:
    lines = []
    for workshop in session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == listing.id, ProgrammeSession.requires_signup.is_(True))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ):
        rows = session.execute(
            select(WorkshopSignup, Registration)
            .join(Registration, Registration.id == WorkshopSignup.registration_id)
            .where(WorkshopSignup.session_id == workshop.id, WorkshopSignup.status == "waitlisted")
            .order_by(WorkshopSignup.queued_at, WorkshopSignup.id)
        ).all()
        lines.append(
            {
                "session_id": workshop.id,
                "title": workshop.title_it,
                "seat_limit": workshop.seat_limit,
                "taken": workshop.taken,
                "waiting": [_entry(r, i, s.queued_at) for i, (s, r) in enumerate(rows, 1)],
            }
        )
    return lines


def _entry(registration: Registration, position: int, queued_at=None) -> dict:
    return {
        "position": position,
        "registration_id": registration.id,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "queued_at": queued_at or registration.queued_at,
    }


__all__ = [
    "CHECK_IN",
    "MANAGE",
    "listing_for",
    "matching",
    "registration_of",
    "search",
    "search_page",
    "waiting_lists",
    "waitlist_position",
    "waitlist_positions",
]
