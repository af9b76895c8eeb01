"""Organisers manage their organisation's endpoints: create (the secret is
shown once), list, read, change, rotate the secret, delete, and read the
delivery log. Owners and organisers of the organisation may; to anyone of
another organisation it answers as if it did not exist."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.db import utcnow
from shared.errors import NotFound, Unprocessable

from ..mail.addresses import UndeliverableAddress, smtp_address
from ..models import PING, WebhookDelivery, WebhookEndpoint
from ..store.wakeups import WEBHOOK, mark
from .event_types import checked_types
from .payload import ping_body
from .signing import new_secret
from .urls import checked_url

MANAGE = ("owner", "organiser")
LANGUAGES = ("it", "en")
MAX_ORGANISATION_ID = 64  # the column's width


@dataclass(frozen=True)
class EndpointChanges:
    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    enabled: bool | None = None
    contact_email: str | None = None
    contact_language: str | None = None


def authorise(organiser: Organiser, organisation_id: str) -> None:
    unknown = NotFound(f"no organisation {organisation_id[:64]!r}", field="organisation_id", location="path")
    if len(organisation_id) > MAX_ORGANISATION_ID:
        raise unknown
    organiser.require_role([organisation_id], *MANAGE, not_found=unknown)


def create_endpoint(
    session: Session,
    organiser: Organiser,
    organisation_id: str,
    *,
    url: str,
    event_types: list[str],
    description: str = "",
    contact_email: str | None = None,
    contact_language: str = "it",
    allow_http: bool,
) -> WebhookEndpoint:
    """The new endpoint, its secret readable this once (the caller shows it)."""
    authorise(organiser, organisation_id)
    now = utcnow()
    endpoint = WebhookEndpoint(
        id=str(uuid.uuid4()),
        organisation_id=organisation_id,
        url=checked_url(url, allow_http=allow_http),
        event_types=checked_types(event_types),
        description=description.strip(),
        secret=new_secret(),
        enabled=True,
        consecutive_failures=0,
        contact_email=_contact(contact_email or organiser.email),
        contact_language=_language(contact_language),
        created_by=organiser.account_id,
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def list_endpoints(session: Session, organiser: Organiser, organisation_id: str) -> list[WebhookEndpoint]:
    authorise(organiser, organisation_id)
    query = select(WebhookEndpoint).where(WebhookEndpoint.organisation_id == organisation_id)
    return list(session.scalars(query.order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)))


def get_endpoint(
    session: Session, organiser: Organiser, organisation_id: str, endpoint_id: str, *, for_update: bool = False
) -> WebhookEndpoint:
    authorise(organiser, organisation_id)
    endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=for_update or None)
    if endpoint is None or endpoint.organisation_id != organisation_id:
        raise NotFound(f"no webhook {endpoint_id!r}", field="webhook_id", location="path")
    return endpoint


def change_endpoint(
    session: Session,
    organiser: Organiser,
    organisation_id: str,
    endpoint_id: str,
    changes: EndpointChanges,
    *,
    allow_http: bool,
) -> WebhookEndpoint:
    endpoint = get_endpoint(session, organiser, organisation_id, endpoint_id, for_update=True)
    now = utcnow()
    if changes.url is not None:
        endpoint.url = checked_url(changes.url, allow_http=allow_http)
    if changes.event_types is not None:
        endpoint.event_types = checked_types(changes.event_types)
    if changes.description is not None:
        endpoint.description = changes.description.strip()
    if changes.contact_email is not None:
        endpoint.contact_email = _contact(changes.contact_email)
    if changes.contact_language is not None:
        endpoint.contact_language = _language(changes.contact_language)
    if changes.enabled is True and not endpoint.enabled:
        endpoint.enable(now)
        _resume(session, endpoint.id, now)
    elif changes.enabled is False and endpoint.enabled:
        endpoint.disable("organiser", now)
    endpoint.updated_at = now
    return endpoint


def rotate_secret(session: Session, organiser: Organiser, organisation_id: str, endpoint_id: str) -> WebhookEndpoint:
    """A new secret, at once: deliveries signed from now on (retries too) use it."""
    endpoint = get_endpoint(session, organiser, organisation_id, endpoint_id, for_update=True)
    endpoint.secret, endpoint.updated_at = new_secret(), utcnow()
    return endpoint


def delete_endpoint(session: Session, organiser: Organiser, organisation_id: str, endpoint_id: str) -> None:
    endpoint = get_endpoint(session, organiser, organisation_id, endpoint_id, for_update=True)
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    session.delete(endpoint)


def deliveries_of(
    session: Session,
    organiser: Organiser,
    organisation_id: str,
    endpoint_id: str,
    *,
    status: str | None = None,
    limit: int = 50,
) -> list[WebhookDelivery]:
    """The endpoint's deliveries, newest first."""
    endpoint = get_endpoint(session, organiser, organisation_id, endpoint_id)
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    order = (WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    return list(session.scalars(query.order_by(*order).limit(limit)))


def _resume(session: Session, endpoint_id: str, now: dt.datetime) -> None:
    """Deliveries left pending while the endpoint was off go at once."""
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == "pending")
        .values(next_attempt_at=now)
    )


def _contact(address: str | None) -> str:
    if not address:
        raise Unprocessable("your account has no e-mail address: give a contact_email", field="contact_email")
    try:
        return smtp_address(address)[:320]
    except UndeliverableAddress as exc:
        raise Unprocessable(str(exc), field="contact_email") from None


def _language(language: str | None) -> str:
    if language not in LANGUAGES:
        raise Unprocessable("contact_language must be it or en", field="contact_language")
    return language


def queue_ping(session: Session, organiser: Organiser, organisation_id: str, endpoint_id: str) -> WebhookDelivery:
    """A signed `webhook.ping`, due now and tried once, also to a disabled
    endpoint (to check it before switching it back on); its outcome never
    counts towards disabling."""
    endpoint = get_endpoint(session, organiser, organisation_id, endpoint_id)
    now = utcnow()
    message_id, body = ping_body(endpoint.id, organisation_id, now)
    delivery = WebhookDelivery(
        id=str(uuid.uuid4()),
        endpoint_id=endpoint.id,
        message_id=message_id,
        event_type=PING,
        body=body,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    mark(session, WEBHOOK)
    session.flush()
    return delivery
