"""Small per-process caches of facts read from one database (an event's id by
its slug, a form's snapshot), which registering would otherwise read again on
every request. Entries are kept per engine, so two databases in one process
(tests, tools) never see each other's, and a dropped engine takes its
entries with it. Each cache is bounded: when full it starts again empty."""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from typing import Generic, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class PerDatabase(Generic[K, V]):
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._by_engine: weakref.WeakKeyDictionary[Engine, dict[K, V]] = weakref.WeakKeyDictionary()

    def get(self, session: Session, key: K) -> V | None:
        entries = self._by_engine.get(_engine(session))
        return None if entries is None else entries.get(key)

    def put(self, session: Session, key: K, value: V) -> None:
        entries = self._by_engine.setdefault(_engine(session), {})
        if len(entries) >= self.max_entries:
            entries.clear()
        entries[key] = value

    def forget(self, session: Session, key: K) -> None:
        entries = self._by_engine.get(_engine(session))
        if entries is not None:
            entries.pop(key, None)


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind
