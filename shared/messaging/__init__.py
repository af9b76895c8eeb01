"""The event bus: topology, transactional outbox and relay, idempotent inbox,
consumer with retry and parking. kombu lives here and in worker.py only."""

from .outbox import add_event, event_row, outbox_table
from .store import InboxMixin, OutboxMixin

__all__ = ["add_event", "event_row", "outbox_table", "InboxMixin", "OutboxMixin"]
