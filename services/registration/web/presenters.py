"""Registrations, forms, check-ins and downloads as the API and the pages
show them: plain dicts and the headers of an attachment."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from .. import attendance, checkin, online_access, released_programme, workshops
from ..checkin import CheckInResult
from ..form_admin import categories_of, fields_of
from ..models import AttendanceImport, Listing, Registration
from ..privacy_notices import Notice, notice_url
from ..publishing import UNKNOWN, category_ref
from ..store import positions
from .context import config

LINK_SENT = "If this address is registered for the event, a new link is on its way to it."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def registration_view(
    session: Session,
    registration: Registration,
    *,
    position=UNKNOWN,
    category_position=UNKNOWN,
    workshops_chosen: bool = True,
) -> dict:
    """`position`, `category_position` (the places in the event's and the category's
    line) and `workshops_chosen=False` spare the queries when the caller knows them."""
    return {
        "id": registration.id,
        "event_id": registration.event_id,
        "status": registration.status,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "role": registration.role,
        "locale": registration.locale,
        "category": category_ref(session, registration),
        "answers": registration.answers or {},
        "waitlist_position": positions.waitlist_position(session, registration) if position is UNKNOWN else position,
        "category_waitlist_position": (
            positions.category_position(session, registration) if category_position is UNKNOWN else category_position
        ),
        "offer_expires_at": registration.offer_expires_at,
        "reason": registration.reason,
        "workshops": workshop_views(session, registration) if workshops_chosen else [],
        "privacy_consent": {"given_at": registration.consent_at, "policy_version": registration.consent_version},
        "certified_at": registration.certified_at,
        "created_at": registration.created_at,
        "updated_at": registration.updated_at,
    }


def workshop_views(session: Session, registration: Registration) -> list[dict]:
    """The participant's workshops; `overlaps_with` names the others held at
    the same time (allowed when chosen, possible after a new release moved one)."""
    held = [
        (signup, workshop)
        for signup, workshop in workshops.signups_of(session, registration)
        if signup.status != "cancelled"
    ]
    return [
        {
            "session_id": workshop.id,
            "title": {"it": workshop.title_it, "en": workshop.title_en},
            "starts_at": workshop.starts_at,
            "ends_at": workshop.ends_at,
            "room": workshop.room,
            "status": signup.status,
            "waitlist_position": positions.workshop_position(session, signup),
            "overlaps_with": [other.id for _, other in held if other.id != workshop.id and workshop.overlaps(other)],
        }
        for signup, workshop in held
    ]


def own_view(session: Session, registration: Registration, *, secret: str) -> dict:
    """The registration as its participant sees it: with the check-in code,
    attendance, and how to join online (confirmed only, in its time window)."""
    listing = session.get_one(Listing, registration.event_id)
    return {
        **registration_view(session, registration),
        "checkin_code": checkin.checkin_code(secret, registration.id),
        "attendance": attendance.summary(session, registration, listing),
        "online": online_access.how_to_join(session, registration, listing),
    }


def form_view(session: Session, listing: Listing) -> dict:
    """The registration form: custom fields, categories, open workshops, privacy policy."""
    return {
        "fields": fields_of(session, listing),
        "categories": categories_of(session, listing),
        "workshops": [
            w
            for w in released_programme.sessions_of(session, listing.id, workshops_only=True)
            if w.status != "cancelled"
        ],
        "privacy": {
            "consent_required": listing.consent_required,
            "policy_version": listing.privacy_policy_version,
            "policy_url": web_address(listing.privacy_policy_url) or _notice_url(listing),
        },
    }


def _notice_url(listing: Listing) -> str:
    """The event's own notice page at the version the form shows (also the default notice)."""
    return notice_url(config().public_base_url, listing.slug, listing.privacy_policy_version)


def notices_view(base_url: str, listing: Listing, versions: list[Notice]) -> dict:
    """An event's notice versions (newest first) with the address of each one's page."""
    return {
        "current": versions[0].version if versions else None,
        "versions": [{**dataclasses.asdict(n), "url": notice_url(base_url, listing.slug, n.version)} for n in versions],
    }


def web_address(url: str | None) -> str | None:
    """An organiser's link if it is http or https, else None: a `javascript:`
    address stored before the policies refused them is never rendered as a link."""
    if url is None:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


def checkin_view(session: Session, result: CheckInResult) -> dict:
    """A check-in as the desk API answers it: done now, or done before."""
    person = result.registration
    return {
        "result": "already_checked_in" if result.already else "checked_in",
        "message": "already checked in" if result.already else "checked in",
        "scope": result.checkin.scope,
        "checked_in_at": result.checkin.checked_in_at,
        "registration": {
            "id": person.id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "organisation": person.organisation,
            "category": category_ref(session, person),
        },
    }


def attendance_rows(session: Session, listing: Listing) -> list[dict]:
    """Minutes attended by each confirmed participant against the course total."""
    return [
        {
            "registration_id": r.id,
            "first_name": r.first_name,
            "last_name": r.last_name,
            **attendance.summary(session, r, listing),
        }
        for r in attendance.confirmed_of(session, listing)
    ]


def attachment(filename: str) -> dict:
    """The headers of a download that no cache keeps."""
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


def import_view(session: Session, found: AttendanceImport, *, unchanged: bool = False) -> dict:
    """An attendance import with, while it is a preview, each attendee's match and proposals."""
    ids = {p["registration_id"] for p in found.people if p["registration_id"]}
    ids |= {i for p in found.people for i in p["proposals"]}
    people: dict[str, Registration] = {}
    for registration_id in ids:
        registration = session.get(Registration, registration_id)
        if registration is not None:
            people[registration_id] = registration
    return {
        "id": found.id,
        "scope": found.scope,
        "status": found.status,
        "report_format": found.report_format,
        "filename": found.filename,
        "unchanged": unchanged,
        "matched": found.matched,
        "rows": [
            {
                **row,
                "registration_name": _name(people.get(row["registration_id"] or "")),
                "proposals": [_person(people[i]) for i in row["proposals"] if i in people],
            }
            for row in found.people
        ],
        "created_at": found.created_at,
        "confirmed_at": found.confirmed_at,
    }


def _name(registration: Registration | None) -> str | None:
    return f"{registration.first_name} {registration.last_name}" if registration else None


def _person(registration: Registration) -> dict:
    return {
        "id": registration.id,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
    }
