"""The organisers' search: `q` within a registration's first name, last name,
e-mail or organisation, whatever the case (lower(field) LIKE '%q%' for each).
Read row by row it costs a scan of the event's registrations. On PostgreSQL
a trigram index (ix_registrations_search, migration 0011) holds the four as
one lower-case text (`models.registration.searched_text`), so there the
search asks the LIKE of that very expression, which the planner answers from
the index. The fields are joined by chr(31): a pattern without it and without
LIKE's `%`, `_` and `\\` matches the joined text exactly when it matches one
of the fields, and the joined LIKE alone gives the same registrations. A
pattern with one of those could match across two fields, so it keeps the
per-field test beside the joined one (still from the index). Under 3
characters there is no trigram to look up (the index would hand back every
row), and SQLite has no such index: both ask the per-field LIKE alone. The
statement is built once and compiled per dialect, like `buckets.utc_hour`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Boolean, ColumnElement, and_, bindparam, func, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ..models import Registration
from ..models.registration import searched_text

SHORTEST_INDEXED = 3  # a trigram: a shorter search has none for the index to look up
SEPARATOR = chr(31)  # between the fields in `searched_text`
CROSSING = ("%", "_", "\\", SEPARATOR)  # what lets a pattern match across two fields
FIELDS = (Registration.first_name, Registration.last_name, Registration.email, Registration.organisation)


class _on_postgresql(FunctionElement[bool]):
    """Its first clause on PostgreSQL, its second elsewhere."""

    type = Boolean()
    inherit_cache = True
    name = "on_postgresql"


@compiles(_on_postgresql, "postgresql")
def _postgres(element: _on_postgresql, compiler: Any, **kw: Any) -> str:
    chosen, _ = element.clauses
    return f"({compiler.process(chosen, **kw)})"


@compiles(_on_postgresql)
def _elsewhere(element: _on_postgresql, compiler: Any, **kw: Any) -> str:
    _, chosen = element.clauses
    return f"({compiler.process(chosen, **kw)})"


def registration_search(q: str) -> ColumnElement[bool]:
    """The registrations one of whose fields holds `q` (trimmed), whatever the case."""
    needle = q.strip().lower()
    pattern: BindParameter[str] = bindparam("search", f"%{needle}%", unique=True)
    per_field = or_(*(func.lower(field).like(pattern) for field in FIELDS))
    if len(needle) < SHORTEST_INDEXED:
        return per_field
    joined = searched_text(Registration).like(pattern)
    if any(sign in needle for sign in CROSSING):
        return _on_postgresql(and_(joined, per_field), per_field)
    return _on_postgresql(joined, per_field)
