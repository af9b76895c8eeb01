"""Every event type on the bus: importing this registers all schemas.
Each producing service keeps its schemas in its own module."""

from . import notifications, registration, scheduling  # noqa: F401
