"""Registration news into e-mails: one mail per registration transition, the
event invitation following the seat (REQUEST when confirmed, CANCEL when a
confirmed seat is lost; nothing for waiting lists, offers or approvals).
Use cases take a session and never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.db import utcnow

from . import copies, digests, online_rooms
from .calendar import feed_tokens
from .calendar.calendar_items import event_calendar, event_invitation_uid
from .config import NotifyConfig
from .mail.outgoing import queue_mail
from .models import Attendee, Delivery, Invitation
from .schedule_changes import JOIN_DETAILS, note_event_change, note_event_room_change

LOSING = ("cancelled", "rejected", "expired")


def registration_changed(session: Session, data: dict, config: NotifyConfig) -> Delivery | None:
    """registration.<status>; None when the news is stale or repeated."""
    attendee = copies.apply_attendee(session, data)
    if attendee is None:
        return _cancel_after_erasure(session, data, config)
    event, change = copies.apply_event(session, data["event"], full=False)
    if change is not None:
        note_event_change(session, config, event, change)
    feed_tokens.remember_manage_url(session, data["registration_id"], data.get("manage_url"))
    invitation = _invitation(session, data, config)
    method = _follow_seat(invitation, data["status"])
    confirmed = data["status"] == "confirmed"
    feed = feed_tokens.ensure_feed(session, data["registration_id"]) if confirmed else None
    join = online_rooms.for_event(event, attendee) if method == "REQUEST" else None
    calendar = event_calendar(config, invitation, data["event"], data["participant"], method, join) if method else None
    language = attendee.locale
    return queue_mail(
        session,
        config,
        kind=f"registration_{data['status']}",
        participant=data["participant"],
        event=data["event"],
        registration_id=data["registration_id"],
        calendar=calendar,
        method=method,
        manage_url=data.get("manage_url"),
        waitlist_position=data.get("waitlist_position"),
        reason=data.get("reason"),
        offer_expires_at=data.get("offer_expires_at"),
        feed=feed_tokens.feed_links(config, feed.token) if feed and feed.token else None,
        online=online_rooms.delivery_note(event, language, config.starts_soon_minutes) if confirmed else None,
    )


def details_changed(session: Session, data: dict) -> None:
    """registration.updated: keep the person's copy current (name, language),
    so later mails and certificates use it; no mail of its own."""
    copies.apply_attendee(session, data)


def _cancel_after_erasure(session: Session, data: dict, config: NotifyConfig) -> Delivery | None:
    """The seat-losing news arrived after participant.erased (erasure
    publishes both in one transaction, but the bus does not keep their order:
    kombu's filesystem:// names messages by the millisecond, then a random
    uuid; RabbitMQ retries reorder too). The CANCEL must still take the
    event out of the person's calendar, so it is sent like any other
    seat-losing mail (no manage or feed link: both are forgotten) and marked
    for erasure, so the sender scrubs it once it is done with."""
    attendee = session.get(Attendee, data["registration_id"])
    if (
        attendee is None
        or attendee.erased_at is None
        or attendee.revision >= data["revision"]
        or data["status"] not in LOSING
    ):
        return None
    attendee.revision = data["revision"]
    invitation = session.get(Invitation, data["registration_id"], with_for_update=True)
    if invitation is None or not invitation.cancel():
        return None  # no REQUEST ever went out: nothing to take back
    invitation.registration_revision = data["revision"]
    calendar = event_calendar(config, invitation, data["event"], data["participant"], "CANCEL")
    delivery = queue_mail(
        session,
        config,
        kind=f"registration_{data['status']}",
        participant=data["participant"],
        event=data["event"],
        registration_id=data["registration_id"],
        calendar=calendar,
        method="CANCEL",
        reason=data.get("reason"),
    )
    delivery.erase(utcnow())
    return delivery


def _invitation(session: Session, data: dict, config: NotifyConfig) -> Invitation:
    invitation = session.get(Invitation, data["registration_id"], with_for_update=True)
    if invitation is None:
        invitation = Invitation(
            registration_id=data["registration_id"],
            event_id=data["event_id"],
            uid=event_invitation_uid(data["registration_id"], config),
            sequence=0,
            state="none",
        )
        session.add(invitation)
    invitation.registration_revision = data["revision"]
    return invitation


def _follow_seat(invitation: Invitation, status: str) -> str | None:
    if status == "confirmed":
        invitation.request()
        return "REQUEST"
    if status in LOSING and invitation.cancel():
        return "CANCEL"
    return None


def link_requested(session: Session, data: dict, config: NotifyConfig) -> Delivery:
    """registration.link_requested: the fresh link goes to the address on file."""
    feed_tokens.remember_manage_url(session, data["registration_id"], data["manage_url"])
    return queue_mail(
        session,
        config,
        kind="registration_link",
        participant=data["participant"],
        event=data["event"],
        registration_id=data["registration_id"],
        manage_url=data["manage_url"],
    )


def join_link_changed(session: Session, data: dict, config: NotifyConfig) -> None:
    """registration.join_link_changed: the person's own link replaces the
    shared one (or the shared one comes back). A confirmed person gets
    updated invitations; anyone else only has it kept for later."""
    attendee = copies.apply_join_link(session, data)
    if attendee is None or not attendee.confirmed:
        return
    event, change = copies.apply_event(session, data["event"], full=False)
    if change is not None:
        note_event_change(session, config, event, change)
    if event.delivery_mode == "in_person":
        return
    person = attendee.registration_id
    digests.add_entries(session, config, [person], kind="event", key=event.event_id, change=JOIN_DETAILS)
    note_event_room_change(session, config, event.event_id, person)
