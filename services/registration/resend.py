"""\"Send me my link again\": a fresh secret link goes to the address by
e-mail (through `registration.link_requested`), never in the answer, which
is the same whether or not the address is known."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.messaging import add_event

from .links import issue_link, manage_url
from .models import Listing, Registration
from .publishing import event_summary, participant_of


def request_link(session: Session, listing: Listing, email: str, *, base_url: str) -> None:
    registration = session.scalar(
        select(Registration)
        .where(
            Registration.event_id == listing.id,
            Registration.email == email.strip().lower(),
            Registration.erased_at.is_(None),
        )
        .order_by(Registration.created_at.desc())
        .limit(1)
    )
    if registration is None:
        return
    token = issue_link(session, registration, "resend")
    add_event(
        session,
        "registration.link_requested",
        {
            "registration_id": registration.id,
            "event_id": listing.id,
            "status": registration.status,
            "participant": participant_of(registration),
            "event": event_summary(listing),
            "manage_url": manage_url(base_url, token),
        },
    )
