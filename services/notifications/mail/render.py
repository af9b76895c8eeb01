"""Rendering the e-mail templates (templates/mail, Jinja2) in Italian and
English. Each kind has one text template per language (`<kind>.<lang>.txt`,
which also sets `subject`); the HTML part is the same wording laid out by
`layout.html`: paragraphs, lists and links, every value escaped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .mail_context import base_context

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "mail"
KINDS = (
    "registration_pending",
    "registration_confirmed",
    "registration_waitlisted",
    "registration_offered",
    "registration_expired",
    "registration_cancelled",
    "registration_rejected",
    "registration_link",
    "workshop_confirmed",
    "workshop_waitlisted",
    "workshop_cancelled",
    "schedule_change",
    "schedule_digest",
    "calendar_update",
    "reminder",
    "starts_soon",
    "certificate",
    "participant_message",
    "survey_invited",
)
# Mails about the organisation's own setup, not about an event: no participant or event in them.
NOTICE_KINDS = (
    "webhook_disabled",
    "accessibility_feedback",
    "member_invited",
    "record_link",
)
LANGUAGES = ("it", "en")
URL = re.compile(r"\b(?:https?|webcal)://[^\s<>\"]+")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def mail_html(text: str, links: tuple[tuple[str, str], ...] = ()) -> Markup:
    """Plain text to HTML: blank lines part paragraphs, runs of lines
    starting with "- " become lists, URLs become links. Everything is
    escaped first. A link's text makes sense alone (a screen reader's list
    of links reads only that): the name `links` gives the URL, else the
    label before it on its line ("Google Calendar: https://..."), else the
    site it goes to; never the bare URL."""
    return Markup("\n".join(_block_html(block, links) for block in re.split(r"\n\s*\n", text.strip())))


@lru_cache(maxsize=512)
def _block_html(block: str, links: tuple[tuple[str, str], ...] = ()) -> str:
    """One paragraph (remembered: most paragraphs repeat from mail to mail)."""
    html = []
    names = dict(links)
    for is_list, lines in _runs(block.split("\n")):
        if is_list:
            items = "".join(f"<li>{_inline(line[2:], names)}</li>" for line in lines)
            html.append(f'<ul style="padding-left: 20px;">{items}</ul>')
        else:
            html.append("<p>" + "<br>\n".join(_inline(line, names) for line in lines) + "</p>")
    return "\n".join(html)


def _runs(lines: list[str]) -> list[tuple[bool, list[str]]]:
    runs: list[tuple[bool, list[str]]] = []
    for line in lines:
        is_item = line.startswith("- ")
        if runs and runs[-1][0] == is_item:
            runs[-1][1].append(line)
        else:
            runs.append((is_item, [line]))
    return runs


def _inline(line: str, names: dict[str, str] | None = None) -> str:
    names = names or {}
    label, colon, rest = line.partition(": ")
    if colon and URL.fullmatch(rest.strip()) and rest.strip() not in names:
        return _link(rest.strip(), label.strip().lstrip("- "))  # "label: URL": the label names the link
    escaped = str(escape(line))

    def linked(match: re.Match) -> str:
        url = Markup(match.group(0)).unescape()
        return _link(url, names.get(url))

    return URL.sub(linked, escaped)


def _link(url: str, text: str | None) -> str:
    """A link named by `text`, or by the site it leads to."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return f'<a href="{escape(url)}">{escape(text or host)}</a>'


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    undefined=StrictUndefined,
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_env.filters["mail_html"] = mail_html


def _join_button(join: dict | None) -> str | None:
    """The join link as the HTML mail's button: web links only (the text
    part still shows whatever the platform gave)."""
    url = str((join or {}).get("url") or "")
    return url if url.startswith(("https://", "http://")) else None


LINK_NAMES = {
    "it": {
        "manage": "Gestisci la tua iscrizione",
        "webcal": "Aggiungi il tuo calendario ad Apple Calendar o Outlook",
        "google": "Aggiungi il tuo calendario a Google Calendar",
        "https": "Indirizzo del tuo calendario personale",
        "join": "Collegati online",
        "page": "Apri la pagina di gestione",
    },
    "en": {
        "manage": "Manage your registration",
        "webcal": "Add your calendar to Apple Calendar or Outlook",
        "google": "Add your calendar to Google Calendar",
        "https": "Address of your personal calendar",
        "join": "Join online",
        "page": "Open the management page",
    },
}


def _link_names(values: dict, language: str, *, manage: str = "manage") -> tuple[tuple[str, str], ...]:
    """The texts of the links a mail carries, by URL (mail_html names each link by them)."""
    words = LINK_NAMES[language]
    feed, join = values.get("feed") or {}, values.get("join") or {}
    pairs = [(values.get("manage_url"), words[manage])]
    pairs += [(feed.get(name), words[name]) for name in ("webcal", "google", "https")]
    platform = f" ({join['platform']})" if join.get("platform") else ""
    pairs.append((join.get("url"), words["join"] + platform))
    return tuple((str(url), text) for url, text in pairs if url)


def render(kind: str, language: str, **context) -> Rendered:
    """Render one kind; `context` holds participant, event and whatever the
    kind uses (see mail_context.base_context for the names)."""
    language = language if language in LANGUAGES else "it"
    values = base_context(language, **context)
    module = _env.get_template(f"{kind}.{language}.txt").make_module(values)
    subject = " ".join(str(getattr(module, "subject", "")).split())
    text = re.sub(r"\n{3,}", "\n\n", str(module)).strip() + "\n"
    html = _env.get_template("layout.html").render(
        lang=language,
        subject=subject,
        text_body=text,
        join_url=_join_button(values.get("join")),
        links=_link_names(values, language),
    )
    return Rendered(subject=subject, text=text, html=html)


def render_notice(kind: str, language: str, **context) -> Rendered:
    """Render a notice (NOTICE_KINDS) to an organisation: the same layout,
    only the values the kind's template names."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"{kind!r} is not a notice")
    language = language if language in LANGUAGES else "it"
    module = _env.get_template(f"{kind}.{language}.txt").make_module({"lang": language, **context})
    subject = " ".join(str(getattr(module, "subject", "")).split())
    text = re.sub(r"\n{3,}", "\n\n", str(module)).strip() + "\n"
    links = _link_names(context, language, manage="page")
    html = _env.get_template("layout.html").render(
        lang=language, subject=subject, text_body=text, join_url=None, links=links
    )
    return Rendered(subject=subject, text=text, html=html)
