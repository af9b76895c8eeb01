"""Data protection: a participant downloads their own data; a participant (via
the link) or an organiser erases a registration now; a periodic job
anonymises every registration of an event past its retention period. Each
erasure publishes `participant.erased` so the other services erase theirs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.messaging import add_event

from . import attendance, certificates, forms, surveys, training_records, workshops
from .links import forget_links
from .models import CheckIn, FinalTestAttempt, Listing, OnlinePresence, Registration
from .publishing import category_ref, event_summary
from .registering import cancel_registration
from .store.positions import waitlist_position

ERASED_REASON = {"request": "erased at the participant's request", "organiser": "erased by an organiser"}


def personal_data(session: Session, registration: Registration) -> dict:
    """Everything registration keeps about this person, as plain JSON-ready data."""
    listing = session.get_one(Listing, registration.event_id)
    labels = {f.key: f.label_it for f in forms.snapshot(session, listing).fields}
    return {
        "registration": {
            "id": registration.id,
            "status": registration.status,
            "reason": registration.reason,
            "first_name": registration.first_name,
            "last_name": registration.last_name,
            "email": registration.email,
            "organisation": registration.organisation,
            "role": registration.role,
            "locale": registration.locale,
            "category": category_ref(session, registration),
            "waitlist_position": waitlist_position(session, registration),
            "offer_expires_at": _iso(registration.offer_expires_at),
            "created_at": _iso(registration.created_at),
            "updated_at": _iso(registration.updated_at),
        },
        "answers": [
            {"field": key, "label": labels.get(key, key), "value": value}
            for key, value in (registration.answers or {}).items()
        ],
        "privacy_consent": {"given_at": _iso(registration.consent_at), "policy_version": registration.consent_version},
        "event": {k: _iso(v) for k, v in event_summary(listing).items()},
        "workshops": [
            {"session_id": w.id, "title": w.title_it, "starts_at": _iso(w.starts_at), "status": signup.status}
            for signup, w in workshops.signups_of(session, registration)
        ],
        "checkins": [
            {"scope": c.scope, "at": _iso(c.checked_in_at)}
            for c in session.scalars(
                select(CheckIn).where(CheckIn.registration_id == registration.id).order_by(CheckIn.checked_in_at)
            )
        ],
        "online_presences": [
            {"scope": p.scope, "from": _iso(p.starts_at), "to": _iso(p.ends_at)}
            for p in session.scalars(
                select(OnlinePresence)
                .where(OnlinePresence.registration_id == registration.id)
                .order_by(OnlinePresence.starts_at)
            )
        ],
        "join_url": registration.join_url,
        "attendance": {k: _iso(v) for k, v in attendance.summary(session, registration, listing).items()},
        "certificates": [
            {
                "id": c.id,
                "issued_by": c.issued_by,
                "issued_at": _iso(c.issued_at),
                "hours": c.hours_total,
                "credits": c.credits,
                "final_test_score": c.final_test_score,
                "superseded_by": c.superseded_by,
                "revoked_at": _iso(c.revoked_at),
            }
            for c in certificates.history_of(session, registration.id)
        ],
        "final_test_attempts": [
            {"number": a.number, "score": a.score, "passed": a.passed, "submitted_at": _iso(a.submitted_at)}
            for a in session.scalars(
                select(FinalTestAttempt)
                .where(FinalTestAttempt.registration_id == registration.id)
                .order_by(FinalTestAttempt.id)
            )
        ],
    }


def _iso(value):
    return value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else value


def erase(
    session: Session, registration: Registration, *, reason: str, base_url: str, now: dt.datetime | None = None
) -> None:
    """Cancel it if it still holds or awaits a place in an event not yet over,
    then remove the personal data and every link; statuses, category and
    check-ins stay for the statistics. (A freed place may make an offer,
    whose link starts with `base_url`.)"""
    now = now or utcnow()
    listing = session.get_one(Listing, registration.event_id)
    if registration.active and listing.ends_at > now:
        cancel_registration(session, registration, base_url=base_url, reason=ERASED_REASON.get(reason))
    email = registration.email
    registration.first_name = registration.last_name = registration.organisation = registration.role = ""
    registration.email = f"erased-{registration.id}@erased.invalid"
    registration.answers = {}
    registration.join_url = None  # a personal join link names the person to the platform
    registration.erased_at = registration.updated_at = now
    certificates.forget(session, registration, now)  # revoked as erased; attempts and reasons go
    surveys.forget(session, registration)  # the survey link dies; a named survey's answers go
    training_records.forget(session, registration.id, email)  # download links, the address's record links
    forget_links(session, registration)
    add_event(
        session,
        "participant.erased",
        {
            "registration_id": registration.id,
            "event_id": listing.id,
            "email": email,
            "reason": reason,
            "erased_at": now,
        },
    )


def retention_sweep(session: Session, *, base_url: str, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Anonymise up to `limit` registrations of events past their retention period."""
    now, erased = now or utcnow(), 0
    due = [
        listing
        for listing in session.scalars(
            select(Listing)
            .where(Listing.anonymised_at.is_(None), Listing.ends_at < now)
            .with_for_update(skip_locked=True)
        )
        if listing.retention_ends() <= now
    ]
    for listing in due:
        batch = session.scalars(
            select(Registration)
            .where(Registration.event_id == listing.id, Registration.erased_at.is_(None))
            .order_by(Registration.id)
            .limit(limit - erased)
            .with_for_update(skip_locked=True)
        ).all()
        for registration in batch:
            erase(session, registration, reason="retention", base_url=base_url, now=now)
        erased += len(batch)
        if erased >= limit:
            break
        listing.anonymised_at = now
    return erased
