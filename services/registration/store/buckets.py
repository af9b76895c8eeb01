"""The UTC hour of a timestamp as text ('YYYY-MM-DD HH'), for GROUP BY.
Dashboards count registrations per local day: the database groups by UTC
hour (a few hundred rows at most, whatever the number of registrations) and
the caller folds hours into days of the event's time zone, DST included.
The two databases spell it differently, so it lives here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class utc_hour(FunctionElement[str]):
    type = String()
    inherit_cache = True
    name = "utc_hour"


@compiles(utc_hour, "postgresql")
def _postgres(element: utc_hour, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return f"to_char({compiler.process(column, **kw)} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


@compiles(utc_hour)
def _sqlite(element: utc_hour, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses  # SQLite keeps UTC text 'YYYY-MM-DD HH:MM:SS...' (shared.db.UTCDateTime)
    return f"strftime('%Y-%m-%d %H', {compiler.process(column, **kw)})"


def hour_of(column: Any) -> utc_hour:
    return utc_hour(column)
