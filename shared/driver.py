"""The busiest statements, sent straight to the database driver.

SQLAlchemy builds these statements and compiles them, once per dialect, with
their types' own bind and result processors; each execution then goes to the
DBAPI cursor of the session's connection, inside the session's transaction.
That skips SQLAlchemy's per-execution work (execution context, result
metadata from the cursor's description), which on a registration cost about
as much CPU as the driver's own round trip. Only for statements that run on
every request of a hot path (registering: the event read, the insert, the
seat claims); everything else goes through the session."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable


@dataclass(frozen=True)
class DriverStatement:
    """A statement compiled for one dialect, with what each execution needs."""

    sql: str
    defaults: dict[str, Any]  # the statement's literal values and unset binds
    bind_processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    result_processors: tuple[Callable[[Any], Any] | None, ...]  # per selected column


@functools.lru_cache(maxsize=256)  # keyed by the statement object: pass statements built once
def compiled_for(statement: Executable, dialect: Dialect) -> DriverStatement:
    compiled = statement.compile(dialect=dialect)
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


def fetch_one(session: Session, statement: Executable, params: dict[str, Any]) -> tuple | None:
    """Execute `statement` (built once, at import) in the session's
    transaction and return its first row, processed as SQLAlchemy would;
    driver errors are raised as SQLAlchemy's (IntegrityError and so on)."""
    prepared, row, _ = _run(session, statement, params, fetch=True)
    if row is None:
        return None
    return tuple(
        value if process is None else process(value)
        for value, process in zip(row, prepared.result_processors, strict=True)
    )


def row_count(session: Session, statement: Executable, params: dict[str, Any]) -> int:
    """Execute a statement that returns no rows (an UPDATE, say) like
    fetch_one does; how many rows it matched."""
    _, _, count = _run(session, statement, params, fetch=False)
    return count


def _run(session: Session, statement: Executable, params: dict[str, Any], *, fetch: bool):
    connection = session.connection()  # begins the session's transaction if needed
    prepared = compiled_for(statement, connection.dialect)
    values = {**prepared.defaults, **params}
    for name, process in prepared.bind_processors:
        values[name] = process(values[name])
    dbapi_connection = connection.connection.driver_connection
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
