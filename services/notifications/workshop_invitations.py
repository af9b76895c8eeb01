"""Workshop seats into e-mails: workshop.confirmed sends a REQUEST for that
session, workshop.cancelled a CANCEL with the same UID and a higher
SEQUENCE (when there was a live invitation); a waiting list gets a mail
without invitation. Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import copies, online_rooms
from .calendar import feed_tokens
from .calendar.calendar_items import session_calendar, workshop_invitation_uid
from .config import NotifyConfig
from .mail.mail_context import session_view
from .mail.outgoing import queue_mail
from .models import Delivery, WorkshopSeat
from .schedule_changes import note_event_change


def workshop_changed(session: Session, data: dict, config: NotifyConfig) -> Delivery | None:
    """workshop.<status>; None when stale, repeated, or already told."""
    seat = _seat(session, data, config)
    if seat is None:
        return None
    attendee = copies.ensure_attendee(session, data)
    workshop = copies.ensure_session(session, data["event_id"], data["session"])
    event, change = copies.apply_event(session, data["event"], full=False)
    if change is not None:
        note_event_change(session, config, event, change)
    if data["status"] == "cancelled" and workshop.cancelled and seat.kept_until_over:
        seat.status = "cancelled"
        return None  # its cancellation was in the person's schedule digest, with the CANCEL
    method = _follow_seat(seat, data["status"])
    participant = data["participant"]
    join = online_rooms.for_session(workshop, event, attendee) if method == "REQUEST" else None
    calendar = session_calendar(config, seat, workshop, event, participant, method, join) if method else None
    feed = feed_tokens.ensure_feed(session, seat.registration_id) if data["status"] == "confirmed" else None
    return queue_mail(
        session,
        config,
        kind=f"workshop_{data['status']}",
        participant=participant,
        event=data["event"],
        registration_id=seat.registration_id,
        calendar=calendar,
        method=method,
        workshop=session_view(workshop.as_facts(), data["event"]["timezone"], participant.get("locale")),
        waitlist_position=data.get("waitlist_position"),
        reason=data.get("reason"),
        feed=feed_tokens.feed_links(config, feed.token) if feed and feed.token else None,
    )


def _seat(session: Session, data: dict, config: NotifyConfig) -> WorkshopSeat | None:
    key = (data["registration_id"], data["session"]["guid"])
    seat = session.get(WorkshopSeat, key, with_for_update=True)
    if seat is not None and seat.revision >= data["revision"]:
        return None
    if seat is None:
        seat = WorkshopSeat(
            registration_id=key[0],
            session_guid=key[1],
            event_id=data["event_id"],
            uid=workshop_invitation_uid(*key, config),
            sequence=0,
            state="none",
            status="none",
            kept_until_over=False,
        )
        session.add(seat)
    seat.signup_id, seat.revision = data["signup_id"], data["revision"]
    return seat


def _follow_seat(seat: WorkshopSeat, status: str) -> str | None:
    previous, seat.status = seat.status, status
    if status == "confirmed":
        seat.kept_until_over = False
        seat.request()
        return "REQUEST"
    if status == "cancelled" and previous != "cancelled" and seat.cancel():
        return "CANCEL"
    return None
