"""Schedule news (event.*, schedule.released) into the participants'
digests: a moved, re-roomed or cancelled event or workshop becomes one
digest entry per person who holds it. New join details (another mode or
online room, or a person's own link) are news for confirmed people only:
their invitation is updated with the new link; nobody else hears of it.
Nothing is mailed here; digests.py sends what gathered when the window
closes."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import copies, digests
from .config import NotifyConfig
from .copies import ItemChange
from .models import ACTIVE_STATES, Attendee, EventCopy, SessionCopy, WorkshopSeat
from .online_rooms import uses_event_room

JOIN_DETAILS = ItemChange(("online",), None)


def event_changed(session: Session, data: dict, config: NotifyConfig) -> None:
    """event.published / .updated / .cancelled: keep the copy, tell people."""
    event, change = copies.apply_event(session, data, full=True)
    if change is not None:
        note_event_change(session, config, event, change)


def note_event_change(session: Session, config: NotifyConfig, event: EventCopy, change: ItemChange) -> None:
    if not change.notable:
        return
    # A cancellation concerns everyone still in play; a move only those with
    # (or offered) a seat; new join details only those holding a seat.
    states: tuple[str, ...] = ACTIVE_STATES if "cancelled" in change.kinds else ("confirmed", "offered")
    if change.only_online:
        states = ("confirmed",)
    holders = session.scalars(
        select(Attendee.registration_id).where(
            Attendee.event_id == event.event_id, Attendee.status.in_(states), Attendee.erased_at.is_(None)
        )
    ).all()
    digests.add_entries(session, config, list(holders), kind="event", key=event.event_id, change=change)
    if "online" in change.kinds:
        note_event_room_change(session, config, event.event_id)


def note_event_room_change(session: Session, config: NotifyConfig, event_id: str, person: str | None = None) -> None:
    """Workshops held in the event's online room follow its join details:
    their confirmed seat holders (or the one `person`) get updated invitations too."""
    workshops = session.scalars(select(SessionCopy).where(SessionCopy.event_id == event_id)).all()
    for workshop in workshops:
        if workshop.cancelled or not uses_event_room(workshop):
            continue
        query = select(WorkshopSeat.registration_id).where(
            WorkshopSeat.session_guid == workshop.guid, WorkshopSeat.status == "confirmed"
        )
        if person is not None:
            query = query.where(WorkshopSeat.registration_id == person)
        holders = list(session.scalars(query))
        digests.add_entries(session, config, holders, kind="session", key=workshop.guid, change=JOIN_DETAILS)


def schedule_released(session: Session, data: dict, config: NotifyConfig) -> None:
    """schedule.released: keep every session's copy; a workshop that moved,
    changed room or was cancelled goes into the digest of each seat holder."""
    release = data["version"]["number"]
    for item in data["sessions"]:
        workshop, change = copies.apply_session(session, data["event_id"], item, release)
        if change is None or not change.notable:
            continue
        holders = list(
            session.scalars(
                select(WorkshopSeat.registration_id).where(
                    WorkshopSeat.session_guid == workshop.guid, WorkshopSeat.status == "confirmed"
                )
            )
        )
        if workshop.cancelled and holders:
            session.execute(
                update(WorkshopSeat)
                .where(WorkshopSeat.session_guid == workshop.guid, WorkshopSeat.status == "confirmed")
                .values(kept_until_over=True)
            )
        digests.add_entries(session, config, holders, kind="session", key=workshop.guid, change=change)
