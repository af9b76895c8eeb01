"""The mail to an endpoint's contact when repeated failures disabled it,
through the ordinary mail pipeline (mail/outgoing.py), in the contact's
language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.formatting import local

from ..config import NotifyConfig
from ..mail.outgoing import queue_notice
from ..models import Delivery, WebhookDelivery, WebhookEndpoint

TIMEZONE = "Europe/Rome"


def endpoint_url(config: NotifyConfig, endpoint: WebhookEndpoint) -> str:
    """The endpoint in the webhook API, where a ping and PATCH {"enabled": true} go."""
    base = config.settings.public_base_url.rstrip("/")
    return f"{base}/notifications/api/v1/organisations/{endpoint.organisation_id}/webhooks/{endpoint.id}"


def queue_disabled_notice(
    session: Session, config: NotifyConfig, endpoint: WebhookEndpoint, last: WebhookDelivery
) -> Delivery:
    moment = local(last.last_attempt_at, TIMEZONE) if last.last_attempt_at else None
    return queue_notice(
        session,
        config,
        kind="webhook_disabled",
        recipient=endpoint.contact_email,
        language=endpoint.contact_language,
        url=endpoint.url,
        description=endpoint.description,
        failures=endpoint.consecutive_failures,
        last_error=last.last_error or "-",
        last_attempt=f"{moment:%Y-%m-%d %H:%M} ({TIMEZONE})" if moment else "-",
        endpoint_url=endpoint_url(config, endpoint),
    )
