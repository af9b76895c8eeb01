"""participant.erased: forget the person. The delivery log keeps each mail's
status and Message-ID but loses address, subject and content (a mail still
waiting to be sent goes first, then loses them: it is usually the CANCEL
that takes the event out of the person's calendar); the copy of the
registration loses name and address; the feed token is revoked and the
manage links forgotten; its certificates become "no longer available" (the
signed PDFs and the holder's name go, the ids still verify as such)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from shared.db import utcnow

from . import certificates
from .calendar import feed_tokens
from .models import Attendee, Delivery, DigestEntry, Feed

ERASED_NAME = ""


def participant_erased(session: Session, data: dict) -> int:
    """Returns how many delivery rows were erased (or marked for erasure)."""
    now, registration_id = utcnow(), data["registration_id"]
    attendee = session.get(Attendee, registration_id, with_for_update=True)
    email = data.get("email") or (attendee.email if attendee else None)
    if attendee is None:
        # A tombstone: news about this registration that the bus delivers
        # after the erasure must not bring the person's data back.
        attendee = Attendee(
            registration_id=registration_id, event_id=data["event_id"], status="erased", revision=0, locale="it"
        )
        session.add(attendee)
    attendee.first_name = attendee.last_name = ERASED_NAME
    attendee.email = f"erased-{registration_id}@erased.invalid"
    attendee.join_url = None  # a personal link identifies the person on the platform
    attendee.erased_at = attendee.updated_at = now
    feed = session.get(Feed, registration_id, with_for_update=True)
    if feed is not None:
        feed_tokens.revoke(feed)
        feed.etag = None
    feed_tokens.forget_links(session, registration_id)
    certificates.erase_certificates(session, registration_id, now)
    session.execute(delete(DigestEntry).where(DigestEntry.registration_id == registration_id))
    mine = Delivery.registration_id == registration_id
    if email:  # records kept by address for this event
        mine = or_(mine, (Delivery.recipient == email) & (Delivery.event_id == data["event_id"]))
    deliveries = session.scalars(select(Delivery).where(mine).with_for_update()).all()
    for delivery in deliveries:
        delivery.erase(now)
    return len(deliveries)
