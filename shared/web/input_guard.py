"""Text no field of any service accepts, refused before a view runs: NUL bytes
(PostgreSQL cannot store them), lone surrogates (no encoding can write them),
other C0 control characters but tab, CR and LF, and JSON nested deeper than any
document the APIs take. Each refusal is a 422 naming the field (404 for a path),
so bad input never reaches the database half-parsed or ends in a 500."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, request

from shared.errors import NotFound, Unprocessable

MAX_JSON_DEPTH = 32
# C0 controls but \t \n \r, DEL, and the UTF-16 surrogates (only lone ones survive decoding).
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class RefusedText(Unprocessable):
    """A field carries characters no field accepts."""


def forbidden_character(value: str) -> str | None:
    """A description of the first character that no text field accepts, or None."""
    found = FORBIDDEN.search(value)
    if found is None:
        return None
    char = found.group()
    return f"contains a character that is not allowed (U+{ord(char):04X})"


def install_input_guard(app: Flask) -> None:
    app.before_request(_refuse_forbidden_input)


def _refuse_forbidden_input() -> None:
    for segment in request.path.split("/"):
        if forbidden_character(segment):
            raise NotFound("no such address")
    for location, name, value in _submitted_text():
        problem = forbidden_character(name) or forbidden_character(value)
        if problem:
            raise RefusedText(f"{name or location} {problem}", field=name or location, location=location)
    if request.is_json:
        _check_json()


def _submitted_text() -> Iterator[tuple[str, str, str]]:
    for name, value in request.args.items(multi=True):
        yield "query", name, value
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in request.form.items(multi=True):
            yield "form", name, value


def _check_json() -> None:
    try:
        document = request.get_json(silent=True)  # cached: the view reads the same object
    except RecursionError:
        raise RefusedText(f"JSON nested deeper than {MAX_JSON_DEPTH} levels", field="_schema") from None
    problem = _first_problem(document, "", 0)
    if problem:
        path, message = problem
        raise RefusedText(f"{path or 'body'} {message}", field=path or "_schema")


def _first_problem(value: Any, path: str, depth: int) -> tuple[str, str] | None:
    if depth > MAX_JSON_DEPTH:
        return path, f"is nested deeper than {MAX_JSON_DEPTH} levels"
    if isinstance(value, str):
        problem = forbidden_character(value)
        return (path, problem) if problem else None
    if isinstance(value, dict):
        items: Iterator[tuple[str, Any]] = iter(value.items())
    elif isinstance(value, list):
        items = ((str(index), item) for index, item in enumerate(value))
    else:
        return None
    for key, item in items:
        child = f"{path}.{key}" if path else key
        problem = forbidden_character(key)
        if problem:
            return child, problem
        found = _first_problem(item, child, depth + 1)
        if found:
            return found
    return None
