"""Registry of versioned event data schemas. Within a version, changes are
additive only; golden samples in tests/unit/golden guard that."""

from __future__ import annotations

import functools
import re

from marshmallow import Schema

_SCHEMAS: dict[tuple[str, int], type[Schema]] = {}
EVENT_TYPE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")  # aggregate.verb, also the routing key


class UnknownEvent(KeyError):
    """No schema is registered for this event type and version."""


def register(event_type: str, version: int = 1):
    def decorate(schema_cls: type[Schema]) -> type[Schema]:
        if not EVENT_TYPE.match(event_type):
            raise ValueError(f"{event_type!r} must look like aggregate.verb")
        key = (event_type, version)
        if key in _SCHEMAS:
            raise ValueError(f"{event_type} v{version} registered twice")
        _SCHEMAS[key] = schema_cls
        return schema_cls

    return decorate


def data_schema(event_type: str, version: int | None = None) -> tuple[Schema, int]:
    """The schema for a type; without a version, the newest one."""
    _load_catalogue()
    if version is None:
        versions = [v for (t, v) in _SCHEMAS if t == event_type]
        if not versions:
            raise UnknownEvent(f"unknown event type {event_type!r}")
        version = max(versions)
    try:
        return _instance(_SCHEMAS[(event_type, version)]), version
    except KeyError:
        raise UnknownEvent(f"unknown event {event_type!r} version {version}") from None


@functools.cache
def _instance(schema_cls: type[Schema]) -> Schema:
    """Schemas keep no state between load/dump calls: build each once."""
    return schema_cls()


def registered() -> list[tuple[str, int]]:
    _load_catalogue()
    return sorted(_SCHEMAS)


def _load_catalogue() -> None:
    from . import catalogue  # noqa: F401  (registers every schema on import)
