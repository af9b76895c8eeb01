"""The declarative base and the messaging tables of the registration service."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from shared.messaging import InboxMixin, OutboxMixin


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class Inbox(InboxMixin, Base):
    pass
