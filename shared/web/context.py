"""The service a request runs in: its settings, engine and sessions
(`ServiceContext`, kept on the Flask app), the request's transaction, and the
organiser of the request's bearer token. Every web module may import this one;
it imports no other web module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.auth import Organiser, organiser_from_header
from shared.config import Settings


@dataclass
class ServiceContext:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    config: Any = None  # the service's typed configuration, built once by its create_app
    _public_key: bytes | None = field(default=None, repr=False)

    @property
    def public_key(self) -> bytes | None:
        """Read once, not on every organiser request; while the key file is
        still missing (first start), look again next time."""
        if self._public_key is None:
            path = self.settings.jwt_public_key_path
            self._public_key = path.read_bytes() if path.exists() else None
        return self._public_key


def ctx() -> ServiceContext:
    return current_app.extensions["eventi"]


@contextmanager
def transaction() -> Iterator[Session]:
    """One request, one transaction: commits on success, rolls back on error."""
    with ctx().session_factory() as session, session.begin():
        yield session


def current_organiser() -> Organiser:
    return organiser_from_header(ctx().public_key, request.headers.get("Authorization"))
