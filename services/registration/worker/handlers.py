"""Registration's reactions to other services' events: a dispatch table of
one-liners into the use cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .. import listings, released_programme


def on_event_changed(session: Session, data: dict, envelope=None) -> None:
    """event.published / .updated / .cancelled: our copy of the event."""
    listings.apply_event(session, data)


def on_schedule_released(session: Session, data: dict, envelope=None) -> None:
    """schedule.released: the programme's sessions; workshops get their seats."""
    released_programme.apply_release(session, data)


HANDLERS = {
    "event.published": on_event_changed,
    "event.updated": on_event_changed,
    "event.cancelled": on_event_changed,
    "schedule.released": on_schedule_released,
}
