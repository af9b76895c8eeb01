"""Engines and sessions: SQLite (WAL, BEGIN IMMEDIATE) or PostgreSQL (psycopg 3).

Use cases take a session and never commit; whoever opens the transaction
(`with factory() as s, s.begin():`) commits it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from sqlalchemy import DateTime, create_engine, event, exc
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use psycopg 3 for both."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


DRIVER_OPTIONS = ("prepare_threshold",)


def driver_options(url: str) -> tuple[str, dict]:
    """Take psycopg's own connection options out of a URL's query (libpq
    would refuse them): `?prepare_threshold=none` turns server-side prepared
    statements off, which PgBouncer in transaction mode needs before 1.21 (or
    without its max_prepared_statements), as consecutive transactions of one
    client may run on different server connections; an integer sets after
    how many executions psycopg prepares a statement (5 when not given)."""
    parsed = make_url(url)
    options: dict = {}
    for name in DRIVER_OPTIONS:
        if name in parsed.query:
            value = parsed.query[name]
            value = value[-1] if isinstance(value, tuple) else value
            options[name] = None if value.strip().lower() in ("", "none", "off") else int(value)
    if not options:
        return url, options
    return parsed.difference_update_query(options).render_as_string(hide_password=False), options


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    url, options = driver_options(url)
    if options:
        kwargs["connect_args"] = {**options, **kwargs.get("connect_args", {})}
    engine = create_engine(url, **kwargs)
    _ping_after_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


PING_AFTER_IDLE_SECONDS = 5.0


def _ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    """Pessimistic disconnect handling, SQLAlchemy's checkout recipe, for
    connections that sat idle: a pooled connection is pinged only when it has
    not been used for `idle_seconds` (a database restart or an idle timeout
    closes those), not on every checkout, which would add a round trip to
    every request. A dead one is replaced before the request uses it."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since > idle_seconds:
            try:
                engine.dialect.do_ping(dbapi_conn)
                dbapi_conn.rollback()  # end the transaction the ping may have begun
            except engine.dialect.loaded_dbapi.Error as error:
                raise exc.DisconnectionError(str(error)) from error


def _sqlite_engine(url: str, **kwargs) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    # SQLAlchemy's recipe for real transactions on pysqlite, with IMMEDIATE so
    # that two writers queue up instead of failing with "database is locked".
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA busy_timeout=15000")
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine, *, service: str, outbox_model=None) -> sessionmaker:
    """Sessions carry their service name and outbox model, so that
    `add_event(session, ...)` knows where to write and who the producer is."""
    return sessionmaker(
        engine,
        expire_on_commit=False,
        info={"service": service, "outbox_model": outbox_model},
    )


def is_postgres(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"
