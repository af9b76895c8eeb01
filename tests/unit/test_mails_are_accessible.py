"""Every mail's HTML part, every kind in Italian and English, read back with
the standard library's HTML parser: the language on <html>, one heading,
alt text on any image, and link texts that make sense alone (never "qui",
"clicca qui", "here" or a bare address). The plain-text part keeps every
address in full. A control shows the checker catches a bare link."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from services.notifications.mail.render import KINDS, LANGUAGES, NOTICE_KINDS, URL, render, render_notice
from tests.unit.test_notification_templates_render_in_both_languages import CONTEXT

VAGUE = {"qui", "clicca qui", "clicca", "here", "click here", "link", "collegamento", "questo link", "this link"}
NOTICE_CONTEXT = {
    "webhook_disabled": {
        "url": "https://hooks.example.org/eventi",
        "description": "Gestionale",
        "failures": 5,
        "last_error": "HTTP 500",
        "last_attempt": "2026-12-04 19:36 (Europe/Rome)",
        "manage_url": "https://eventi.example/notifications/organiser/organisations/o1/webhooks",
        "endpoint_url": "https://eventi.example/notifications/api/v1/organisations/o1/webhooks/w1",
    },
    "accessibility_feedback": {
        "message": "Il modulo non si legge con NVDA: https://eventi.example/registration/events/x/register",
        "email": "anna@example.org",
        "page": "https://eventi.example/registration/events/x/register",
        "writer_language": "en",
        "received": "04/12/2026 19:36",
    },
    "record_link": {
        "name": "Anna",
        "record_url": "https://eventi.example/registration/record/SECRET",
        "deadline": "11 dicembre 2026, 19:36",
    },
    "member_invited": {
        "organisation": {"organisation_id": "o1", "slug": "comuni", "name": "Associazione dei Comuni"},
        "inviter": {"name": "Giulia Rossi", "email": "giulia@comuni.example"},
        "role": "organiser",
        "accept_url": "https://eventi.example/scheduling/invitations/SECRET",
        "deadline": "11 dicembre 2026, 19:36",
    },
}


class MailReader(HTMLParser):
    """What the rules look at: <html lang>, headings, images, and each link's text."""

    def __init__(self):
        super().__init__()
        self.lang, self.headings, self.images, self.links = None, 0, [], []
        self._link: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag in ("h1", "h2", "h3"):
            self.headings += 1
        elif tag == "img":
            self.images.append(values)
        elif tag == "a":
            self._link = []
            self.links.append((values.get("href") or "", self._link))

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link.append(data)


def problems(html: str, language: str) -> list[str]:
    reader = MailReader()
    reader.feed(html)
    found = []
    if reader.lang != language:
        found.append(f"<html lang> is {reader.lang!r}")
    if reader.headings < 1:
        found.append("no heading")
    found += [f"image without alt: {image}" for image in reader.images if not (image.get("alt") or "").strip()]
    for href, parts in reader.links:
        text = " ".join("".join(parts).split())
        if not text or text.lower() in VAGUE or URL.fullmatch(text) or text == href:
            found.append(f"link text {text!r} for {href}")
    return found


def mails():
    for kind in KINDS:
        for language in LANGUAGES:
            yield kind, language, render(kind, language, **CONTEXT)
    for kind in NOTICE_KINDS:
        if kind in NOTICE_CONTEXT:
            for language in LANGUAGES:
                yield kind, language, render_notice(kind, language, **NOTICE_CONTEXT[kind])


@pytest.mark.parametrize(("kind", "language", "rendered"), list(mails()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_mail_has_its_language_a_heading_and_links_that_make_sense_alone(kind, language, rendered):
    assert problems(rendered.html, language) == []
    for address in URL.findall(rendered.text):  # the plain-text part as before: every address in full
        assert address in rendered.text


def test_every_notice_kind_is_checked():
    assert set(NOTICE_KINDS) <= set(NOTICE_CONTEXT), "add the new notice kind's values to NOTICE_CONTEXT"


def test_the_personal_links_are_named_for_what_they_do():
    html = render("registration_confirmed", "it", **CONTEXT).html
    assert f'<a href="{CONTEXT["manage_url"]}">Gestisci la tua iscrizione</a>' in html
    assert ">Aggiungi il tuo calendario a Google Calendar</a>" in html
    english = render("starts_soon", "en", **CONTEXT).html
    assert ">Join online (Microsoft Teams)</a>" in english


def test_the_checker_catches_a_bare_link_a_vague_one_and_a_missing_language():
    bare = '<html lang="it"><h1>T</h1><p><a href="https://x.example/a">https://x.example/a</a></p></html>'
    vague = '<html><h1>T</h1><p><a href="https://x.example/a">clicca qui</a><img src="x.png"></p></html>'
    assert problems(bare, "it") == ["link text 'https://x.example/a' for https://x.example/a"]
    assert len(problems(vague, "it")) == 3
