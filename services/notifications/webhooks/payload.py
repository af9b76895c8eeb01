"""The body of a delivery: the envelope as it travels on the bus
(docs/events.md), less the secrets that only participants may see. The
manage link and a personal join link open a registration or a meeting to
whoever holds them, an invitation's accept link makes its holder a member,
and the online room is for confirmed participants only: an outside system
gets none of them, whatever it subscribes to. A unit test runs every golden
sample through here, so a new type that carries a secret fails it."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from shared.envelope import Envelope
from shared.events.registry import data_schema

from ..models import PING

# Secret links of the contract (docs/events.md): each lets its holder act as someone.
SECRET_KEYS = ("manage_url", "join_url", "accept_url", "survey_url", "record_url", "download_url")


def without_secrets(value: Any) -> Any:
    """The SECRET_KEYS and each `online` room (an object) become null,
    at any depth; `changelog.online`, a list of session ids, stays."""
    if isinstance(value, dict):
        return {
            key: None
            if key in SECRET_KEYS or (key == "online" and not isinstance(item, list))
            else without_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def envelope_body(envelope: Envelope) -> str:
    """The JSON body for an event consumed from the bus (data dumped by its schema, as the producer did)."""
    schema, _version = data_schema(envelope.type, envelope.version)
    document = {
        "id": envelope.id,
        "type": envelope.type,
        "version": envelope.version,
        "occurred_at": envelope.occurred_at.astimezone(dt.timezone.utc).isoformat(),
        "producer": envelope.producer,
        "correlation_id": envelope.correlation_id,
        "data": without_secrets(schema.dump(envelope.data)),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def ping_body(endpoint_id: str, organisation_id: str, now: dt.datetime) -> tuple[str, str]:
    """(message id, body) of a test delivery, shaped like an envelope."""
    message_id = str(uuid.uuid4())
    document = {
        "id": message_id,
        "type": PING,
        "version": 1,
        "occurred_at": now.astimezone(dt.timezone.utc).isoformat(),
        "producer": "notifications",
        "correlation_id": None,
        "data": {"endpoint_id": endpoint_id, "organisation_id": organisation_id},
    }
    return message_id, json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
