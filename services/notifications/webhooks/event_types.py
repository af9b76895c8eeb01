"""Which event types an endpoint may ask for: any type of docs/events.md,
`<aggregate>.*` for all of an aggregate's (also those added later), or `*`
for everything."""

from __future__ import annotations

from shared.errors import Unprocessable
from shared.events.registry import registered

MAX_TYPES = 50


def known_types() -> list[str]:
    return sorted({event_type for event_type, _version in registered()})


def checked_types(wanted: list[str]) -> list[str]:
    if not wanted:
        raise Unprocessable("name at least one event type (or '*')", field="event_types")
    if len(wanted) > MAX_TYPES:
        raise Unprocessable(f"at most {MAX_TYPES} event types", field="event_types")
    known = known_types()
    aggregates = {event_type.split(".")[0] for event_type in known}
    unknown = [
        value
        for value in wanted
        if value != "*" and value not in known and not (value.endswith(".*") and value[:-2] in aggregates)
    ]
    if unknown:
        raise Unprocessable(f"unknown event type(s): {', '.join(unknown)}", field="event_types")
    return list(dict.fromkeys(wanted))


def matches(wanted: list[str], event_type: str) -> bool:
    return any(
        value in ("*", event_type) or (value.endswith(".*") and event_type.startswith(value[:-1])) for value in wanted
    )
