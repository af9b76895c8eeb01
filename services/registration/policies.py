"""The registration policies of an event, set by its organisers: how the
waiting list promotes (confirm at once, or offer with a deadline), consent,
retention and the attendance threshold."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .attendance import recheck_all
from .models import Listing
from .privacy_notices import guard_policies

POLICY_FIELDS = (
    "promotion_mode",
    "offer_hours",
    "retention_days",
    "attendance_threshold",
    "consent_required",
    "privacy_policy_version",
    "privacy_policy_url",
)


def policies_of(listing: Listing) -> dict:
    return {name: getattr(listing, name) for name in POLICY_FIELDS}


def update_policies(session: Session, listing: Listing, changes: dict) -> dict:
    """Apply the given policies (the consent version only while the event has no notice
    of its own); a lowered attendance threshold certifies those who now reach it."""
    guard_policies(session, listing, changes)
    threshold_before = listing.attendance_threshold
    for name in POLICY_FIELDS:
        if name in changes:
            setattr(listing, name, changes[name])
    session.flush()
    if listing.attendance_threshold is not None and listing.attendance_threshold != threshold_before:
        recheck_all(session, listing)
    return policies_of(listing)
