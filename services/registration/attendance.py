"""Attendance for courses: the minutes a registration attended against the
course total (attendance_time.py measures them), and the entry point every
change of attendance calls (check-in, online imports, a changed threshold):
`update` brings the certificate in line with the event's rules
(certificates.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import certificates
from .attendance_time import (
    Interval,
    attended_minutes,
    day_windows,
    local_day,
    total_minutes,
    union_minutes,
)
from .models import Listing, Registration

__all__ = [
    "Interval",
    "attended_minutes",
    "confirmed_of",
    "day_windows",
    "local_day",
    "recheck_all",
    "summary",
    "total_minutes",
    "union_minutes",
    "update",
]


def summary(session: Session, registration: Registration, listing: Listing) -> dict:
    attended, total = attended_minutes(session, registration, listing), total_minutes(session, listing)
    return {
        "minutes_attended": attended,
        "total_minutes": total,
        "percent": round(100 * attended / total, 1) if total else 0.0,
        "certified_at": registration.certified_at,
    }


def update(session: Session, registration: Registration, listing: Listing, now: dt.datetime | None = None) -> bool:
    """Evaluate the event's certificate rules for this registration; True when a certificate was issued."""
    return certificates.evaluate(session, registration, listing, now)


def recheck_all(session: Session, listing: Listing, now: dt.datetime | None = None) -> int:
    return certificates.evaluate_all(session, listing, now)


def confirmed_of(session: Session, listing: Listing) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == listing.id, Registration.status == "confirmed")
            .order_by(Registration.last_name, Registration.first_name, Registration.id)
        )
    )
