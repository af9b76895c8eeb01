"""The envelope every message on the bus travels in (docs/events.md)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from .events import registry
from .events.registry import data_schema

EVENT_TYPE = validate.Regexp(registry.EVENT_TYPE, error="must look like aggregate.verb")


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # additive changes must not break older consumers

    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=EVENT_TYPE)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True, default_timezone=dt.timezone.utc)
    producer = fields.String(required=True, validate=validate.Length(min=1, max=64))
    correlation_id = fields.String(load_default=None, allow_none=True)
    data = fields.Dict(required=True)


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    version: int
    occurred_at: dt.datetime
    producer: str
    correlation_id: str | None
    data: dict[str, Any]


ENVELOPE_SCHEMA = EnvelopeSchema()  # stateless between loads: one for all


class InvalidMessage(Exception):
    """A body that is not a valid envelope of a known event: it is parked."""


def build_envelope(
    event_type: str,
    data: dict,
    *,
    producer: str,
    version: int | None = None,
    correlation_id: str | None = None,
    occurred_at: dt.datetime | None = None,
    check: bool = True,
) -> dict:
    """Return the JSON-ready envelope, with `data` dumped by its schema and,
    with `check`, loaded back so an invalid event raises here. The outbox
    passes check=False: its relay checks every body before publishing it
    (relay.relay_once), which keeps that cost off the request and a faulty
    event from failing the request that wrote it."""
    schema, version = data_schema(event_type, version)  # an unknown type raises here
    if not (0 < len(producer) <= 64):
        raise ValueError(f"producer {producer!r} must be 1-64 characters")
    dumped = schema.dump(data)
    if check:
        try:
            schema.load(dumped)
        except ValidationError as exc:
            raise ValueError(f"{event_type} v{version} data is invalid: {exc.messages}") from exc
    occurred_at = (occurred_at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": version,
        "occurred_at": occurred_at.isoformat(),
        "producer": producer,
        "correlation_id": correlation_id,
        "data": dumped,
    }


def parse_envelope(body: str | bytes | dict) -> Envelope:
    """Validate a received body (dict, or str/bytes when content_type was
    missing) and load its data with the schema of its type and version."""
    try:
        if isinstance(body, (bytes, bytearray)):
            body = body.decode("utf-8")
        if isinstance(body, str):
            body = json.loads(body)
        if not isinstance(body, dict):
            raise InvalidMessage("body is not a JSON object")
        loaded = ENVELOPE_SCHEMA.load(body)
        schema, _ = data_schema(loaded["type"], loaded["version"])
        data = schema.load(loaded["data"])
    except (ValueError, UnicodeDecodeError) as exc:  # json errors are ValueErrors
        raise InvalidMessage(f"not JSON: {exc}") from exc
    except ValidationError as exc:
        raise InvalidMessage(f"invalid: {exc.messages}") from exc
    except KeyError as exc:
        raise InvalidMessage(str(exc.args[0])) from exc
    return Envelope(
        id=str(loaded["id"]),
        type=loaded["type"],
        version=loaded["version"],
        occurred_at=loaded["occurred_at"],
        producer=loaded["producer"],
        correlation_id=loaded["correlation_id"],
        data=data,
    )
