"""Every string the web pages show has its English translation, and the
language choice follows cookie, then browser, then Italian."""

from __future__ import annotations

from werkzeug.datastructures import LanguageAccept

from shared.messages import ENGLISH
from shared.web.i18n import choose_language, translate
from tests.unit.web_strings import italian_strings


def test_every_page_string_has_an_english_translation():
    missing = sorted(text for text in italian_strings() if text not in ENGLISH)
    assert not missing, f"add these to shared/messages/en_*.py: {missing}"


def test_translations_keep_their_placeholders():
    import re

    for italian, english in ENGLISH.items():
        assert sorted(re.findall(r"%\(\w+\)s", italian)) == sorted(re.findall(r"%\(\w+\)s", english)), italian


def test_the_cookie_wins_then_the_browser_then_italian():
    english_browser = LanguageAccept([("en-GB", 1), ("en", 0.8)])
    assert choose_language("it", english_browser) == "it"
    assert choose_language(None, english_browser) == "en"
    assert choose_language("xx", LanguageAccept([("de", 1)])) == "it"
    assert choose_language(None, None) == "it"


def test_text_is_italian_by_default_and_english_on_request():
    assert translate("Posti: %(total)s", "it", total=3) == "Posti: 3"
    assert translate("Posti: %(total)s", "en", total=3) == "Seats: 3"
    assert translate("a string nobody translated", "en") == "a string nobody translated"
