"""The delivery log for organisers: filtered, newest first, and limited to
the events of the organiser's organisations (administrators see all)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.errors import NotFound

from .models import Delivery, EventCopy


@dataclass(frozen=True)
class DeliveryFilter:
    event_id: str | None = None
    status: str | None = None
    kind: str | None = None
    registration_id: str | None = None
    recipient: str | None = None
    before_id: int | None = None
    limit: int = 200


def list_deliveries(
    session: Session, limit: int = 200, *, filters: DeliveryFilter | None = None, organiser: Organiser | None = None
) -> list[Delivery]:
    filters = filters or DeliveryFilter(limit=limit)
    query = select(Delivery)
    for column in ("event_id", "status", "kind", "registration_id"):
        if getattr(filters, column):
            query = query.where(getattr(Delivery, column) == getattr(filters, column))
    if filters.recipient:
        query = query.where(Delivery.recipient == filters.recipient.strip().lower())
    if filters.before_id:
        query = query.where(Delivery.id < filters.before_id)
    if organiser is not None and not organiser.is_admin:
        query = query.where(Delivery.event_id.in_(visible_events(session, organiser)))
    return list(session.scalars(query.order_by(Delivery.id.desc()).limit(filters.limit)))


def visible_events(session: Session, organiser: Organiser) -> list[str]:
    mine = set(organiser.roles)
    return [
        event_id
        for event_id, orgs in session.execute(select(EventCopy.event_id, EventCopy.organisation_ids))
        if mine & set(orgs or ())
    ]


def event_with_slug(session: Session, slug: str) -> EventCopy | None:
    """The event copy a delivery-log filter names by its slug."""
    return session.scalar(select(EventCopy).where(EventCopy.slug == slug))


def get_delivery(session: Session, delivery_id: int) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id}", field="delivery_id")
    return delivery
