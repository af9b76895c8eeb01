"""Posted HTML forms in and out of the API's schemas: the pages validate with
the same marshmallow schemas as the JSON API, then show each error beside
its field (names flattened: title.it -> title_it) in the page's language
(the messages themselves: shared/web/form_errors.py)."""

from __future__ import annotations

from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.form_errors import field_errors, localize_error
from shared.web.i18n import translate

__all__ = ["errors_of", "field_errors", "flatten", "localize_error"]


def flatten(messages, prefix: str = "") -> dict[str, str]:
    """{"title": {"it": ["..."]}} -> {"title_it": "..."}, one message per field."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}_{key}" if prefix else str(key)
            flat.update(flatten(value, name))
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        flat[prefix or "form"] = localize_error(messages[0])
    elif isinstance(messages, list):
        for item in messages:
            flat.update(flatten(item, prefix))
    else:
        flat[prefix or "form"] = localize_error(str(messages))
    return flat


def errors_of(exc: Exception, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Field -> message for a ValidationError or a DomainError (its field
    renamed by `aliases` to the form's name)."""
    aliases = aliases or {}
    if isinstance(exc, ValidationError):
        return {aliases.get(k, k): v for k, v in flatten(exc.messages).items()}
    if isinstance(exc, DomainError):
        return {aliases.get(exc.field or "form", exc.field or "form"): localize_error(exc.message)}
    raise exc


def text(form, name: str) -> str | None:
    """A text input: stripped, empty -> None."""
    value = (form.get(name) or "").strip()
    return value or None


def required_text(form, name: str) -> str:
    return (form.get(name) or "").strip()


def number(form, name: str):
    """A number input as the schema wants it: empty -> None, else the text (the schema checks it)."""
    return text(form, name)


def flag(form, name: str) -> bool:
    return name in form


def ok_message(text_it: str, **values) -> str:
    return translate(text_it, **values)
