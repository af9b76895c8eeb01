"""E-mail templates in Italian and English (Jinja2; subject, text and HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared.formatting import format_when

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "mail"
KINDS = ("registration_confirmed", "registration_waitlisted", "registration_cancelled")
LANGUAGES = ("it", "en")

_env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), undefined=StrictUndefined,
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_env.globals["format_when"] = format_when


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(kind: str, language: str, **context) -> Rendered:
    language = language if language in LANGUAGES else "it"
    text_template = _env.get_template(f"{kind}.{language}.txt")
    module = text_template.make_module(context)
    subject = str(getattr(module, "subject", "")).strip()
    text = str(module).strip() + "\n"
    # The HTML body shows the same text, autoescaped as a plain string.
    html = _env.get_template(f"{kind}.{language}.html").render(context, subject=subject, text_body=text)
    return Rendered(subject=subject, text=text, html=html)
