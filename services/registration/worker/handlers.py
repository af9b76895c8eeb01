"""Registration's reactions to other services' events: a dispatch table of
one-liners into the use cases, made once per process from its configuration."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.envelope import Envelope
from shared.messaging.dispatch import Handler

from .. import listings, released_programme, training_records
from ..config import RegistrationConfig


def handlers_for(config: RegistrationConfig) -> dict[str, Handler]:
    """event.* keeps our copy of the event (promotions make links under the
    public base URL); schedule.released our copy of the programme's sessions;
    certificate.issued where the training record links the signed PDF."""
    base_url = config.public_base_url

    def on_event_changed(session: Session, data: dict, envelope: Envelope | None = None) -> None:
        listings.apply_event(session, data, base_url=base_url)

    def on_schedule_released(session: Session, data: dict, envelope: Envelope | None = None) -> None:
        released_programme.apply_release(session, data)

    def on_certificate_issued(session: Session, data: dict, envelope: Envelope | None = None) -> None:
        training_records.note_issued(session, data)

    return {
        "event.published": on_event_changed,
        "event.updated": on_event_changed,
        "event.cancelled": on_event_changed,
        "schedule.released": on_schedule_released,
        "certificate.issued": on_certificate_issued,
    }
