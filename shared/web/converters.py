"""URL converters every service installs. `<int:...>` is bounded to what a
PostgreSQL integer holds, so a path id beyond it is a 404 like any unknown
id, never a database error (and the OpenAPI documents say the maximum)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from .fields import MAX_ID


class DatabaseIdConverter(IntegerConverter):
    def __init__(
        self, url_map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)


def install_converters(app: Flask) -> None:
    """Before any blueprint is registered: rules take their converter when added."""
    app.url_map.converters["int"] = DatabaseIdConverter
