"""The busiest statements, sent straight to the database driver on PostgreSQL.

SQLAlchemy builds these statements and compiles them, once per dialect, with
their types' own bind and result processors; each execution then goes to the
DBAPI cursor of the session's connection, inside the session's transaction.
That skips SQLAlchemy's per-execution work (execution context, result
metadata from the cursor's description), which on a registration cost about
as much CPU as the driver's own round trip. Only for statements that run on
every request of a hot path (registering: the event read, the insert, the
seat claims); everything else goes through the session. On any other database
(SQLite) the same calls run the statements through the session's connection
as usual, so callers need not know which database they are on.

What this relies on inside SQLAlchemy (exactly pinned in requirements.txt;
tests/integration/test_driver_statements.py checks each of them against
SQLAlchemy's own execution, on PostgreSQL, before an upgrade of the pin):
- `SQLCompiler.string`: the SQL in the driver's parameter style;
- `SQLCompiler.bind_names` (each BindParameter -> its name in that SQL), and
  of each BindParameter `.required`, `.effective_value` (literal values and
  defaults) and `.type`;
- `SQLCompiler.literal_execute_params` and `.post_compile_params`: statements
  that need them (expanding IN lists) are refused, their SQL is only known at
  execution;
- `TypeEngine.dialect_impl(dialect).bind_processor(dialect)` and
  `.result_processor(dialect, None)`: aware UTC datetimes, JSON;
- `exported_columns` of a SELECT (or what a DML statement RETURNs), in the
  order of the row;
- `Connection.connection.driver_connection`: the psycopg connection inside
  the pooled one, in the session's transaction;
- `Dialect.loaded_dbapi.Error`, `Dialect.is_disconnect(error, connection,
  None)` and `exc.DBAPIError.instance(...)`: a driver error raised as
  SQLAlchemy's (IntegrityError and so on), a lost connection flagged so the
  session's rollback invalidates it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, Select, Update, exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from shared.db import is_postgres

Statement = Select | Insert | Update


@dataclass(frozen=True)
class DriverStatement:
    """A statement compiled for one dialect, with what each execution needs."""

    sql: str
    defaults: dict[str, Any]  # the statement's literal values and unset binds
    bind_processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    result_processors: tuple[Callable[[Any], Any] | None, ...]  # per selected column


@functools.lru_cache(maxsize=256)  # keyed by the statement object: pass statements built once
def compiled_for(statement: Statement, dialect: Dialect) -> DriverStatement:
    compiled = statement.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler):
        raise TypeError(f"not a SQL statement: {statement!r}")
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError("a statement with expanding parameters cannot be sent straight to the driver")
    binds = compiled.bind_names.items()
    processors = ((name, bind.type.dialect_impl(dialect).bind_processor(dialect)) for bind, name in binds)
    columns = statement.exported_columns  # a SELECT's columns, or what a DML statement RETURNs
    return DriverStatement(
        sql=compiled.string,
        defaults={name: bind.effective_value for bind, name in binds if not bind.required},
        bind_processors=tuple((name, process) for name, process in processors if process is not None),
        result_processors=tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ),
    )


def fetch_one(session: Session, statement: Statement, params: dict[str, Any]) -> tuple | None:
    """Execute `statement` (built once, at import) in the session's
    transaction and return its first row as a tuple, processed as SQLAlchemy
    would; driver errors are raised as SQLAlchemy's (IntegrityError and so on)."""
    connection = session.connection()  # begins the session's transaction if needed
    if not is_postgres(connection):
        row = connection.execute(statement, params).first()
        return None if row is None else tuple(row)
    prepared, row, _ = _run(connection, statement, params, fetch=True)
    if row is None:
        return None
    return tuple(
        value if process is None else process(value)
        for value, process in zip(row, prepared.result_processors, strict=True)
    )


def row_count(session: Session, statement: Statement, params: dict[str, Any]) -> int:
    """Execute a statement that returns no rows (an UPDATE, say) like
    fetch_one does; how many rows it matched."""
    connection = session.connection()
    if not is_postgres(connection):
        return connection.execute(statement, params).rowcount
    _, _, count = _run(connection, statement, params, fetch=False)
    return count


def insert_and_fetch(
    session: Session, inserts: tuple[Insert, ...], query: Select, params: dict[str, Any]
) -> tuple | None:
    """Write `inserts` and read `query` in one round trip: on PostgreSQL as
    one statement (`with_inserts`), whose query sees the database as it was
    before the inserts, and its first row. Elsewhere (SQLite has no INSERT
    inside WITH) each insert on its own, and None for the query: there writers
    take turns, so the caller knows its answer already."""
    connection = session.connection()
    if is_postgres(connection):
        return fetch_one(session, with_inserts(inserts, query), params)
    for insert in inserts:
        connection.execute(insert, params)
    return None


@functools.lru_cache(maxsize=64)  # keyed by the statements: pass statements built once
def with_inserts(inserts: tuple[Insert, ...], query: Select) -> Select:
    """`query` with each of `inserts` as a data-modifying WITH (PostgreSQL)."""
    for number, insert in enumerate(inserts, 1):
        query = query.add_cte(insert.cte(f"write_{number}"))
    return query


def _run(
    connection: Connection, statement: Statement, params: dict[str, Any], *, fetch: bool
) -> tuple[DriverStatement, Any, int]:
    prepared = compiled_for(statement, connection.dialect)
    values = {**prepared.defaults, **params}
    for name, process in prepared.bind_processors:
        values[name] = process(values[name])
    dbapi_connection = connection.connection.driver_connection
    if dbapi_connection is None:
        raise exc.ResourceClosedError("the session's connection is closed")
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(prepared.sql, values)
            return prepared, cursor.fetchone() if fetch else None, cursor.rowcount
    except connection.dialect.loaded_dbapi.Error as error:
        # A lost connection is flagged; the session's rollback then invalidates it, as always.
        lost = connection.dialect.is_disconnect(error, dbapi_connection, None)
        raise exc.DBAPIError.instance(
            prepared.sql,
            values,
            error,
            connection.dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=connection.dialect,
        ) from error
