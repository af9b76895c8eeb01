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
)
# Mails about the organisation's own setup, not about an event: no participant or event in them.
NOTICE_KINDS = (
    "webhook_disabled",
    "accessibility_feedback",
)
LANGUAGES = ("it", "en")
URL = re.compile(r"\b(?:https?|webcal)://[^\s<>\"]+")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def mail_html(text: str) -> Markup:
    """Plain text to HTML: blank lines part paragraphs, runs of lines
    starting with "- " become lists, URLs become links. Everything is
    escaped first."""
    return Markup("\n".join(_block_html(block) for block in re.split(r"\n\s*\n", text.strip())))


@lru_cache(maxsize=512)
def _block_html(block: str) -> str:
    """One paragraph (remembered: most paragraphs repeat from mail to mail)."""
    html = []
    for is_list, lines in _runs(block.split("\n")):
        if is_list:
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            html.append(f'<ul style="padding-left: 20px;">{items}</ul>')
        else:
            html.append("<p>" + "<br>\n".join(_inline(line) for line in lines) + "</p>")
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


def _inline(line: str) -> str:
    escaped = str(escape(line))
    return URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)


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


def render(kind: str, language: str, **context) -> Rendered:
    """Render one kind; `context` holds participant, event and whatever the
    kind uses (see mail_context.base_context for the names)."""
    language = language if language in LANGUAGES else "it"
    values = base_context(language, **context)
    module = _env.get_template(f"{kind}.{language}.txt").make_module(values)
    subject = " ".join(str(getattr(module, "subject", "")).split())
    text = re.sub(r"\n{3,}", "\n\n", str(module)).strip() + "\n"
    html = _env.get_template("layout.html").render(
        lang=language, subject=subject, text_body=text, join_url=_join_button(values.get("join"))
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
    html = _env.get_template("layout.html").render(lang=language, subject=subject, text_body=text, join_url=None)
    return Rendered(subject=subject, text=text, html=html)
