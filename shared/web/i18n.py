"""Languages of the web pages: Italian by default, English by choice.

The choice is the `lang` cookie (set by the switch in the page header, path
"/" so all three services share it), else the browser's Accept-Language,
else Italian. Templates write Italian and wrap it in `_()`; the English
catalogue (shared/messages/) maps each Italian string to its translation,
and a missing one falls back to the Italian text."""

from __future__ import annotations

from flask import g, has_request_context, request
from markupsafe import Markup, escape

from shared.messages import ENGLISH

LANGUAGES = ("it", "en")
DEFAULT = "it"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def choose_language(cookie: str | None, accept_language) -> str:
    """The cookie if valid, else the browser's best match, else Italian."""
    if cookie in LANGUAGES:
        return cookie
    return accept_language.best_match(LANGUAGES, default=DEFAULT) if accept_language else DEFAULT


def current_language() -> str:
    if not has_request_context():
        return DEFAULT
    if "lang" not in g:
        g.lang = choose_language(request.cookies.get(COOKIE), request.accept_languages)
    return g.lang


def translate(text: str, lang: str | None = None, **values) -> str:
    """`text` (Italian) in the language; `%(name)s` placeholders filled,
    values HTML-escaped when the text is markup-safe in a template."""
    lang = lang or current_language()
    result = ENGLISH.get(text, text) if lang == "en" else text
    return result % values if values else result


def gettext_markup(text: str, **values) -> Markup:
    """For templates: the translation as markup (our own text), with the
    values escaped."""
    return Markup(translate(text, **{k: escape(v) for k, v in values.items()}))


def localized(texts: dict | None, lang: str | None = None, *, it: str = "", en: str | None = None) -> str:
    """Pick the text of the language from {"it": ..., "en": ...} (or the
    `it`/`en` keywords), falling back to Italian."""
    lang = lang or current_language()
    texts = texts if texts is not None else {"it": it, "en": en}
    return (texts.get(lang) if lang != "it" else None) or texts.get("it") or ""
