"""The declarative base of scheduling's tables, with the outbox and inbox
every service keeps in its own database."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import DeclarativeBase

from shared.messaging import InboxMixin, OutboxMixin


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class Inbox(InboxMixin, Base):
    pass
