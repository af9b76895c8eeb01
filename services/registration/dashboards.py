"""How an event is going, and an organisation's year, in numbers a person
reads at a glance. Every figure is an aggregate the database computes
(GROUP BY, COUNT DISTINCT): the queries return a few dozen rows whether an
event has a hundred registrations or fifty thousand, and nothing here loops
over registrations."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select, union
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.errors import NotFound

from .models import AttendanceImport, Category, CheckIn, Listing, OnlinePresence, ProgrammeSession, Registration
from .store.buckets import hour_of

TOP = 10  # organisations shown; the rest are summed as "others"
MANAGE = ("owner", "organiser")


@dataclass(frozen=True)
class Day:
    day: dt.date
    registrations: int
    cumulative: int


@dataclass(frozen=True)
class Share:
    """A named count: a participants' organisation, a category."""

    label_it: str
    label_en: str | None
    count: int
    quota: int | None = None
    waiting: int = 0


@dataclass(frozen=True)
class Attendance:
    """Distinct people present at a session or on a day: at the desk, online, either."""

    scope: str
    label_it: str
    label_en: str | None
    starts_at: dt.datetime | None
    in_person: int
    online: int
    people: int


@dataclass(frozen=True)
class EventDashboard:
    listing: Listing
    by_status: dict[str, int]
    checked_in: int
    certificates: int
    days: list[Day]
    organisations: list[Share]
    others: int
    categories: list[Share]
    attendance: list[Attendance]

    @property
    def confirmed(self) -> int:
        return self.by_status.get("confirmed", 0)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def event_dashboard(session: Session, listing: Listing) -> EventDashboard:
    mine = (Registration.event_id == listing.id) & Registration.erased_at.is_(None)
    by_status = dict(
        session.execute(select(Registration.status, func.count()).where(mine).group_by(Registration.status)).all()
    )
    organisations, others = _top_organisations(session, mine & (Registration.status == "confirmed"))
    return EventDashboard(
        listing=listing,
        by_status={status: int(n) for status, n in by_status.items()},
        checked_in=session.scalar(
            select(func.count(distinct(CheckIn.registration_id))).where(CheckIn.event_id == listing.id)
        )
        or 0,
        # certified_at is set with a live certificate and cleared when it is revoked (certificates.py)
        certificates=session.scalar(
            select(func.count()).select_from(Registration).where(mine, Registration.certified_at.is_not(None))
        )
        or 0,
        days=_days(session, mine, zoneinfo.ZoneInfo(listing.timezone)),
        organisations=organisations,
        others=others,
        categories=_categories(session, listing),
        attendance=_attendance(session, listing),
    )


def _days(session: Session, where, zone: zoneinfo.ZoneInfo) -> list[Day]:
    """Registrations received per day of the event's time zone, with the running total."""
    hour = hour_of(Registration.created_at)
    per_day: dict[dt.date, int] = {}
    for bucket, count in session.execute(select(hour, func.count()).where(where).group_by(hour)):
        moment = dt.datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=dt.timezone.utc)
        local = moment.astimezone(zone).date()
        per_day[local] = per_day.get(local, 0) + int(count)
    days, running = [], 0
    for day in sorted(per_day):
        running += per_day[day]
        days.append(Day(day, per_day[day], running))
    return days


def _top_organisations(session: Session, where, limit: int = TOP) -> tuple[list[Share], int]:
    """The participants' organisations by number of people (spelt alike up to case
    and surrounding spaces), and how many people the rest hold."""
    name = func.lower(func.trim(Registration.organisation))
    rows = session.execute(
        select(func.min(func.trim(Registration.organisation)), func.count())
        .where(where, name != "")
        .group_by(name)
        .order_by(func.count().desc(), name)
    ).all()
    top = [Share(label, None, int(count)) for label, count in rows[:limit]]
    return top, sum(int(count) for _, count in rows[limit:])


def _categories(session: Session, listing: Listing) -> list[Share]:
    counts = {
        (category_id, status): int(n)
        for category_id, status, n in session.execute(
            select(Registration.category_id, Registration.status, func.count())
            .where(
                Registration.event_id == listing.id,
                Registration.erased_at.is_(None),
                Registration.category_id.is_not(None),
                Registration.status.in_(("confirmed", "waitlisted")),
            )
            .group_by(Registration.category_id, Registration.status)
        )
    }
    return [
        Share(c.label_it, c.label_en, counts.get((c.id, "confirmed"), 0), c.quota, counts.get((c.id, "waitlisted"), 0))
        for c in session.scalars(select(Category).where(Category.event_id == listing.id).order_by(Category.position))
    ]


def _attendance(session: Session, listing: Listing) -> list[Attendance]:
    desk = select(CheckIn.scope, CheckIn.registration_id).where(CheckIn.event_id == listing.id)
    online = (
        select(OnlinePresence.scope, OnlinePresence.registration_id)
        .join(AttendanceImport, AttendanceImport.id == OnlinePresence.import_id)
        .where(AttendanceImport.event_id == listing.id)
    )
    in_person, remote, people = _people_per_scope(session, desk), _people_per_scope(session, online), {}
    either = union(desk, online).subquery()  # UNION drops a person counted at the desk and online
    for scope, n in session.execute(select(either.c.scope, func.count()).group_by(either.c.scope)):
        people[scope] = int(n)
    sessions = session.scalars(
        select(ProgrammeSession)
        .where(
            ProgrammeSession.event_id == listing.id,
            ProgrammeSession.kind == "session",
            ProgrammeSession.status != "cancelled",
        )
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ).all()
    rows = [
        Attendance(
            f"session:{s.id}",
            s.title_it,
            s.title_en,
            s.starts_at,
            in_person.get(f"session:{s.id}", 0),
            remote.get(f"session:{s.id}", 0),
            people.get(f"session:{s.id}", 0),
        )
        for s in sessions
    ]
    for scope in sorted(s for s in people if s.startswith("day:")):
        day = scope.removeprefix("day:")
        rows.append(
            Attendance(
                scope,
                f"Giornata del {day}",
                f"Day {day}",
                None,
                in_person.get(scope, 0),
                remote.get(scope, 0),
                people[scope],
            )
        )
    return rows


def _people_per_scope(session: Session, pairs) -> dict[str, int]:
    sub = pairs.subquery()
    return {
        scope: int(n)
        for scope, n in session.execute(
            select(sub.c.scope, func.count(distinct(sub.c.registration_id))).group_by(sub.c.scope)
        )
    }


# --- an organisation's year -----------------------------------------------------------------


@dataclass(frozen=True)
class EventYear:
    """One event of the year: its registrations by state, people present, certificates."""

    slug: str
    title_it: str
    title_en: str | None
    starts_at: dt.datetime
    capacity: int | None
    confirmed: int
    registrations: int
    checked_in: int
    certified: int


@dataclass(frozen=True)
class OrganisationYear:
    organisation_id: str
    year: int
    events: list[EventYear]
    organisations: list[Share]
    others: int
    years: list[int] = field(default_factory=list)  # years with events, for the year picker

    @property
    def totals(self) -> dict[str, int]:
        return {
            key: sum(getattr(e, key) for e in self.events)
            for key in ("registrations", "confirmed", "checked_in", "certified")
        }


def organisation_year(session: Session, organiser: Organiser, organisation_id: str, year: int) -> OrganisationYear:
    """The organisation's events starting in `year` (Europe/Rome's calendar year
    is close enough for a yearly view: events list their own time zone)."""
    organiser.require_role(
        [organisation_id], *MANAGE, not_found=NotFound("no such organisation", field="organisation_id")
    )
    # organisation_ids is a JSON list: the organisation's events are few, so they are picked here.
    listings = [
        listing
        for listing in session.scalars(select(Listing).order_by(Listing.starts_at, Listing.id))
        if organisation_id in (listing.organisation_ids or [])
    ]
    years = sorted({listing.starts_at.year for listing in listings})
    chosen = [listing for listing in listings if listing.starts_at.year == year]
    ids = [listing.id for listing in chosen]
    mine = Registration.event_id.in_(ids) & Registration.erased_at.is_(None)
    registered = _per_event(session, select(Registration.event_id, func.count()).where(mine))
    confirmed = _per_event(
        session, select(Registration.event_id, func.count()).where(mine, Registration.status == "confirmed")
    )
    certified = _per_event(
        session, select(Registration.event_id, func.count()).where(mine, Registration.certified_at.is_not(None))
    )
    present = _per_event(
        session,
        select(CheckIn.event_id, func.count(distinct(CheckIn.registration_id))).where(CheckIn.event_id.in_(ids)),
    )
    organisations, others = _top_organisations(session, mine & (Registration.status == "confirmed"))
    return OrganisationYear(
        organisation_id=organisation_id,
        year=year,
        events=[
            EventYear(
                listing.slug,
                listing.title_it,
                listing.title_en,
                listing.starts_at,
                listing.capacity,
                confirmed.get(listing.id, 0),
                registered.get(listing.id, 0),
                present.get(listing.id, 0),
                certified.get(listing.id, 0),
            )
            for listing in chosen
        ],
        organisations=organisations,
        others=others,
        years=years,
    )


def _per_event(session: Session, query) -> dict[str, int]:
    event_id = query.selected_columns[0]
    return {key: int(n) for key, n in session.execute(query.group_by(event_id))}
