"""How a participant joins online: the event's room (or their own link from
the platform's registrant list) and each session's own room, shown to a
confirmed registration from `join_link_lead_minutes` before the start to the
end. Nobody else ever gets a link: pending, waitlisted, offered and
cancelled registrations see nothing, and a workshop's own room only those
with a confirmed seat in it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow

from .models import Listing, ProgrammeSession, Registration, WorkshopSignup

PLATFORM_NAMES = {
    "zoom": "Zoom",
    "teams": "Microsoft Teams",
    "webex": "Webex",
    "meet": "Google Meet",
    "jitsi": "Jitsi Meet",
    "other": "",  # the pages say "another platform" in their language
}
ROOM_DETAILS = ("join_url", "meeting_id", "passcode", "dial_in")


def how_to_join(
    session: Session, registration: Registration, listing: Listing, now: dt.datetime | None = None
) -> dict | None:
    """None when the registration gets no online room at all; else the rooms,
    each with `available` and, only while available, its link and codes."""
    if registration.status != "confirmed" or registration.erased_at is not None:
        return None
    now, lead = now or utcnow(), dt.timedelta(minutes=listing.join_link_lead_minutes)
    rooms = []
    if listing.delivery_mode != "in_person" and listing.online:
        personal = registration.join_url
        room = {**listing.online, "join_url": personal} if personal else listing.online
        rooms.append(_room(room, listing.starts_at, listing.ends_at, lead, now, personal=bool(personal)))
    for item in _own_rooms(session, registration, listing):
        assert item.online is not None
        room = _room(item.online, item.starts_at, item.ends_at, lead, now, personal=False)
        rooms.append({**room, "session_id": item.id, "title": {"it": item.title_it, "en": item.title_en}})
    if not rooms:
        return None
    return {"delivery_mode": listing.delivery_mode, "rooms": rooms}


def _room(
    room: dict, starts_at: dt.datetime, ends_at: dt.datetime, lead: dt.timedelta, now: dt.datetime, *, personal: bool
) -> dict:
    shown_from = starts_at - lead
    available = shown_from <= now < ends_at
    return {
        "session_id": None,
        "title": None,
        "platform": room["platform"],
        "platform_name": PLATFORM_NAMES.get(room["platform"], ""),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "shown_from": shown_from,
        "available": available,
        "over": now >= ends_at,
        "personal": personal and available,
        **{key: (room.get(key) or None) if available else None for key in ROOM_DETAILS},
    }


def _own_rooms(session: Session, registration: Registration, listing: Listing) -> list[ProgrammeSession]:
    """Confirmed sessions with a room of their own, online or hybrid (as the
    event when their mode is null); a workshop's only with a confirmed seat."""
    items = session.scalars(
        select(ProgrammeSession)
        .where(
            ProgrammeSession.event_id == listing.id,
            ProgrammeSession.status == "confirmed",
        )
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ).all()
    seats = set(
        session.scalars(
            select(WorkshopSignup.session_id).where(
                WorkshopSignup.registration_id == registration.id, WorkshopSignup.status == "confirmed"
            )
        )
    )
    return [
        item
        for item in items
        if (item.delivery_mode or listing.delivery_mode) != "in_person"
        and item.online
        and (not item.is_workshop or item.id in seats)
    ]
