"""Posted HTML forms in and out of the API's schemas: the pages validate with
the same marshmallow schemas as the JSON API, then show each error beside
its field (names flattened: title.it -> title_it) in the page's language."""

from __future__ import annotations

import re

from marshmallow import ValidationError

from shared.errors import DomainError
from shared.i18n import translate

# marshmallow's and the use cases' English messages, as the Italian pages say them
ITALIAN = {
    "Missing data for required field.": "Campo obbligatorio.",
    "Field may not be null.": "Campo obbligatorio.",
    "Not a valid datetime.": "Data e ora non valide.",
    "Not a valid date.": "Data non valida.",
    "Not a valid integer.": "Serve un numero intero.",
    "Not a valid number.": "Serve un numero.",
    "Not a valid email address.": "Indirizzo e-mail non valido.",
    "Not a valid string.": "Testo non valido.",
    "must be after starts_at": "Deve essere dopo l'inizio.",
    "Shorter than minimum length 1.": "Campo obbligatorio.",
    "a colour like #1a2b3c": "Un colore come #1a2b3c.",
}
PATTERNS = [
    (re.compile(r"^Longer than maximum length (\d+)\.$"), "Al massimo %s caratteri."),
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
     "Un valore tra %s e %s."),
    (re.compile(r"^Must be one of: .*\.$"), "Scegli un valore dall'elenco."),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), "Da %s a %s caratteri."),
]


def localize_error(message: str) -> str:
    """An error message in the page's language (English stays as the API says it)."""
    from shared.i18n import current_language

    if current_language() == "en":
        return message
    if message in ITALIAN:
        return ITALIAN[message]
    for pattern, italian in PATTERNS:
        match = pattern.match(message)
        if match:
            return italian % match.groups()
    return message


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
