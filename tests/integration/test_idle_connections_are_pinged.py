"""A pooled PostgreSQL connection that died while idle (a database restart,
an idle timeout) is replaced before a request uses it, while a connection in
steady use is not pinged on every checkout (that would cost a round trip on
every request)."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from shared import db

pytestmark = pytest.mark.postgres


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()


def _terminate(pg_url: str, pid: int) -> None:
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _statements_seen(engine, action) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _pooled_connection_killed(pg_url: str, monkeypatch, ping_after_idle: float):
    """A one-connection pool whose connection PostgreSQL ended 0.4 s ago; (engine, its old pid)."""
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", ping_after_idle)
    engine = db.make_engine(pg_url, pool_size=1, max_overflow=0)
    first = _backend_pid(engine)
    _terminate(pg_url, first)
    time.sleep(0.4)
    return engine, first


def test_a_connection_killed_while_idle_is_replaced(pg_url, monkeypatch):
    engine, first = _pooled_connection_killed(pg_url, monkeypatch, ping_after_idle=0.2)
    assert _backend_pid(engine) != first  # the dead one was pinged, dropped and replaced
    engine.dispose()


def test_without_idle_time_a_killed_connection_is_seen_by_the_request(pg_url, monkeypatch):
    """Control: the replacement above is the idle ping's doing."""
    engine, first = _pooled_connection_killed(pg_url, monkeypatch, ping_after_idle=3600)
    with pytest.raises(OperationalError):
        _backend_pid(engine)
    assert _backend_pid(engine) != first  # SQLAlchemy drops it after the failure
    engine.dispose()


def test_a_busy_connection_is_not_pinged_on_every_checkout(pg_url):
    engine = db.make_engine(pg_url)
    _backend_pid(engine)
    statements = _statements_seen(engine, lambda: [_backend_pid(engine) for _ in range(5)])
    assert statements == ["SELECT pg_backend_pid()"] * 5
    engine.dispose()
