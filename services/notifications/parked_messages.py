"""Which parked messages an organiser may see and replay: administrators all
of them; an owner those about the events of the organisations they own (the
message's own organisation_ids, else the event's as this service knows it).
A message whose event cannot be told is for administrators only."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.messaging.parked import Parked

from .models import EventCopy


def owned_organisations(organiser: Organiser) -> set[str]:
    return {organisation for organisation, role in organiser.roles.items() if role == "owner"}


def may_operate(organiser: Organiser) -> bool:
    """Parked messages are an operator's matter: administrators and owners."""
    return organiser.is_admin or bool(owned_organisations(organiser))


def visibility(session: Session, organiser: Organiser) -> Callable[[Parked], bool]:
    """A test of one parked message: may this organiser see (and replay) it?"""
    if organiser.is_admin:
        return lambda parked: True
    owned = owned_organisations(organiser)
    organisations_of_event = {
        event_id: set(organisation_ids or ())
        for event_id, organisation_ids in session.execute(select(EventCopy.event_id, EventCopy.organisation_ids))
    }

    def visible(parked: Parked) -> bool:
        data = _data_of(parked.body)
        named = data.get("organisation_ids")
        organisations = named if isinstance(named, list) else organisations_of_event.get(str(data.get("event_id")), ())
        return bool(owned & {str(organisation) for organisation in organisations})

    return visible


def _data_of(body: str) -> dict:
    try:
        envelope = json.loads(body)
    except ValueError:
        return {}
    data = envelope.get("data") if isinstance(envelope, dict) else None
    return data if isinstance(data, dict) else {}
