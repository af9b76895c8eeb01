"""Every notification template renders in Italian and English with what it
needs; the HTML part is the same wording with lists and links, escaped."""

from __future__ import annotations

import datetime as dt

import pytest

from services.notifications.mail.mail_context import Change
from services.notifications.mail.render import KINDS, LANGUAGES, mail_html, render

UTC = dt.timezone.utc
TITLES = {"it": "Bilancio partecipativo", "en": "Participatory budgeting"}
CONTEXT = {
    "participant": {"first_name": "Anna", "last_name": "D'Angelo", "email": "anna@example.org", "locale": "it"},
    "event": {
        "event_id": "e1",
        "slug": "bilancio",
        "title": dict(TITLES),
        "starts_at": dt.datetime(2026, 12, 14, 8, 30, tzinfo=UTC),
        "ends_at": dt.datetime(2026, 12, 14, 12, 30, tzinfo=UTC),
        "timezone": "Europe/Rome",
        "venue": "Sala consiliare",
        "url": "https://eventi.example/e/bilancio",
    },
    "manage_url": "https://eventi.example/registration/r/SECRET",
    "survey_url": "https://eventi.example/registration/s/SECRET",
    "record_url": "https://eventi.example/registration/record/SECRET",
    "reminder": False,
    "waitlist_position": 4,
    "has_invitation": True,
    "reason": "Posti esauriti per la categoria",
    "offer_expires_at": dt.datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
    "feed": {
        "https": "https://eventi.example/notifications/feeds/T.ics",
        "webcal": "webcal://eventi.example/notifications/feeds/T.ics",
        "google": "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Feventi.example%2Fx.ics",
    },
    "workshop": {"title": "Laboratorio A", "when": "14 dicembre 2026, 11:30–13:00", "room": "Aula 2"},
    "hours": "3",
    "join": {
        "mode": "online",
        "platform": "Microsoft Teams",
        "url": "https://teams.microsoft.com/l/meetup-join/PERSONAL",
        "meeting_id": "385 562 117 93",
        "passcode": "aB3xY7",
        "dial_in": "+39 02 3046 5120",
        "personal": True,
    },
    "online": {"mode": "hybrid", "platform": "Microsoft Teams", "page_minutes": 60, "mail_minutes": 30},
    "changes": [
        Change(
            "Laboratorio A",
            "15 dicembre 2026, 10:00–11:00",
            "Aula 3",
            "14 dicembre 2026, 11:30–13:00",
            "Aula 2",
            moved=True,
            re_roomed=True,
        ),
        Change("Laboratorio B", "16 dicembre 2026, 10:00–11:00", None, cancelled=True),
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_notification_kind_renders_in_both_languages(kind, language):
    rendered = render(kind, language, **CONTEXT)
    assert rendered.subject and "\n" not in rendered.subject
    assert "D'Angelo" in rendered.text and TITLES[language] in rendered.text
    assert "None" not in rendered.text and "{{" not in rendered.text
    assert rendered.html.startswith("<!doctype html>") and f'lang="{language}"' in rendered.html
    assert "D&#39;Angelo" in rendered.html


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("registration_waitlisted", "4"),
        ("registration_offered", "1 dicembre 2026, 18:00"),
        ("registration_rejected", "Posti esauriti"),
        ("registration_confirmed", "webcal://eventi.example"),
        ("workshop_confirmed", "Aula 2"),
        ("schedule_digest", "Laboratorio B: ANNULLATO"),
        ("certificate", "3 ore"),
        ("registration_link", "registration/r/SECRET"),
        ("starts_soon", "https://teams.microsoft.com/l/meetup-join/PERSONAL"),
        ("starts_soon", "passcode: aB3xY7"),
        ("registration_confirmed", "30 minuti prima dell'inizio"),
        ("registration_confirmed", "in presenza e online (Microsoft Teams)"),
    ],
)
def test_each_mail_says_what_it_is_about(kind, expected):
    assert expected in render(kind, "it", **CONTEXT).text


# What a kind cannot be written without (a survey invitation is its link).
ESSENTIAL = {"survey_invited": {"survey_url": CONTEXT["survey_url"]}}


def minimal(kind: str) -> dict:
    return {"participant": CONTEXT["participant"], "event": CONTEXT["event"], **ESSENTIAL.get(kind, {})}


def test_a_mail_renders_with_only_the_participant_and_the_event():
    for kind in KINDS:
        assert render(kind, "en", **minimal(kind)).text


def test_links_become_anchors_and_lists_become_lists_in_html():
    html = render("registration_confirmed", "it", **CONTEXT).html
    assert '<a href="webcal://eventi.example/notifications/feeds/T.ics">' in html
    assert "<ul" in html and "<li>" in html


def test_markup_in_any_value_is_escaped_in_html():
    sample = {
        **CONTEXT,
        "participant": {**CONTEXT["participant"], "first_name": "<img src=x onerror=alert(1)>"},
        "reason": '"><script>alert(1)</script>',
    }
    html = render("registration_rejected", "en", **sample).html
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


def test_a_url_with_quotes_cannot_break_out_of_its_anchor():
    html = str(mail_html('see https://x.example/a"onmouseover="alert(1) now'))
    assert 'onmouseover="' not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_change_of_join_details_says_so_and_gives_the_new_link(language):
    only_online = Change("Webinar", "14 dicembre 2026, 9:30–13:30", None, online=True)
    rendered = render("schedule_change", language, **{**CONTEXT, "changes": [only_online]})
    words = {
        "it": ("Nuovi dati di collegamento", "nuovi dati per il collegamento"),
        "en": ("New joining details", "new joining details"),
    }
    assert rendered.subject.startswith(words[language][0]) and words[language][1] in rendered.text
    assert CONTEXT["join"]["url"] in rendered.text
    update = render("calendar_update", language, **{**CONTEXT, "changes": [only_online]})
    assert words[language][1] in update.text and CONTEXT["join"]["url"] in update.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_starts_soon_html_mail_has_a_join_button_in_its_language(language):
    html = render("starts_soon", language, **CONTEXT).html
    label = {"it": "Collegati online", "en": "Join online"}[language]
    assert f'<a href="{CONTEXT["join"]["url"]}" style="display: inline-block;' in html and label in html


def test_a_join_link_that_is_not_a_web_address_gets_no_button():
    sample = {**CONTEXT, "join": {**CONTEXT["join"], "url": "javascript:alert(1)"}}
    html = render("starts_soon", "en", **sample).html
    assert 'href="javascript' not in html and "Join online" not in html


def test_without_join_details_no_mail_mentions_joining_online():
    for kind in KINDS:
        text = render(kind, "it", **minimal(kind)).text
        assert "collegarti" not in text and "Collegamento" not in text
