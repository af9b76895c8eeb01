"""Versioned schemas of the domain events (see docs/events.md)."""

from .registry import UnknownEvent, data_schema, registered

__all__ = ["UnknownEvent", "data_schema", "registered"]
