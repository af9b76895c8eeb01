"""Privacy notices: an event shows the operator's default notice (version 1)
until its organisers publish their own; each publication is the next version
and never changes; the registration form links the version it shows and the
stored consent names it; a consent to an older version than the one in force
is refused; the site's own notice names the data controller. On SQLite and
PostgreSQL."""

from __future__ import annotations

import re

from shared.web.auth import COOKIE
from tests.integration.registration_support import SLUG, post_form

NOTICES = "/privacy-notices"
PAGE = f"/events/{SLUG}/privacy"


def publish(desk, text_it: str, text_en: str | None = None):
    return desk.as_organiser("post", NOTICES, json={"text_it": text_it, "text_en": text_en})


def test_an_event_without_its_own_notice_shows_the_default_one_as_version_1(desk):
    form = desk.client.get(f"/api/v1/events/{SLUG}/form").get_json()
    assert form["privacy"]["policy_version"] == "1"
    assert form["privacy"]["policy_url"].endswith(f"/registration{PAGE}?version=1")
    page = desk.client.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Versione 1" in html and "Titolare del trattamento" in html
    english = desk.client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Who handles your data" in english and 'lang="it"' not in english.split("<main", 1)[-1]


def test_each_publication_is_the_next_version_and_older_ones_stay_readable(desk):
    first = publish(desk, "## Titolare\n\nIl Comune <b>tratta</b> i dati.", "## Controller\n\nThe town.")
    assert first.status_code == 201 and first.get_json()["version"] == 2
    second = publish(desk, "Seconda versione.")
    assert second.get_json()["version"] == 3 and second.get_json()["url"].endswith("?version=3")
    listed = desk.as_organiser("get", NOTICES).get_json()
    assert listed["current"] == 3 and [v["version"] for v in listed["versions"]] == [3, 2, 1]
    old = desk.client.get(f"{PAGE}?version=2").get_data(as_text=True)
    assert "&lt;b&gt;tratta&lt;/b&gt;" in old and "<b>" not in old  # the organiser's text is escaped
    assert "<h2>Titolare</h2>" in old and "Questa non è la versione in vigore." in old
    assert "Seconda versione." in desk.client.get(PAGE).get_data(as_text=True)
    assert desk.client.get(f"{PAGE}?version=9").status_code == 404
    assert desk.client.get(f"{PAGE}?version=1").status_code == 200  # the default notice it showed before


def test_the_consent_names_the_version_the_form_showed(desk):
    desk.as_organiser("patch", "/policies", json={"consent_required": True})
    publish(desk, "Versione dell'organizzatore.")
    form = desk.client.get(f"/api/v1/events/{SLUG}/form").get_json()["privacy"]
    assert form["policy_version"] == "2" and form["policy_url"].endswith("?version=2")
    issued = desk.registered(1, privacy_consent=True, privacy_notice_version="2")
    assert issued["registration"]["privacy_consent"]["policy_version"] == "2"
    publish(desk, "Una versione nuova, pubblicata mentre qualcuno leggeva la precedente.")
    stale = desk.register(2, privacy_consent=True, privacy_notice_version="2")
    assert stale.status_code == 422 and set(stale.get_json()["errors"]["json"]) == {"privacy_notice_version"}
    assert desk.registered(3, privacy_consent=True)["registration"]["privacy_consent"]["policy_version"] == "3"


def test_the_registration_page_links_the_notice_it_shows_and_sends_its_version(desk):
    publish(desk, "Testo.")
    html = desk.client.get(f"/events/{SLUG}/register").get_data(as_text=True)
    assert 'href="http://' in html and f"/registration{PAGE}?version=2" in html
    assert re.search(r'name="privacy_notice_version" value="2"', html)


def test_a_published_notice_fixes_the_consent_version_against_policy_changes(desk):
    assert desk.as_organiser("patch", "/policies", json={"privacy_policy_version": "7"}).status_code == 200
    assert publish(desk, "Testo.").get_json()["version"] == 8  # above the version the organisers named
    refused = desk.as_organiser("patch", "/policies", json={"privacy_policy_version": "9"})
    assert refused.status_code == 409 and refused.get_json()["errors"]["json"]["privacy_policy_version"]
    assert desk.as_organiser("patch", "/policies", json={"privacy_policy_url": None}).status_code == 409


def test_a_notice_needs_its_italian_text_within_bounds_and_only_organisers_publish(desk):
    missing = publish(desk, "")
    assert missing.status_code == 422 and "text_it" in missing.get_json()["errors"]["json"]
    too_long = publish(desk, "x" * 40_001)
    assert too_long.status_code == 422
    assert desk.as_organiser("post", NOTICES, role="checkin", json={"text_it": "x"}).status_code == 403
    assert desk.client.post(f"/api/v1/organiser/events/{SLUG}{NOTICES}", json={"text_it": "x"}).status_code == 401


def test_organisers_publish_a_version_from_their_page(desk):
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    page = f"/organiser/events/{SLUG}/privacy"
    form = desk.client.get(page, headers={"Accept-Language": "en"})
    assert form.status_code == 200 and "Publish version 2" in form.get_data(as_text=True)
    empty = post_form(desk.client, page, {"text_it": "  "})
    assert empty.status_code == 422 and 'id="text_it-error"' in empty.get_data(as_text=True)
    sent = post_form(desk.client, page, {"text_it": "## Chi\n\nIl Comune.", "text_en": ""})
    assert sent.status_code == 303
    assert "Il Comune." in desk.client.get(PAGE).get_data(as_text=True)


def test_the_sites_notice_names_the_controller_the_cookie_and_the_logs(desk):
    page = desk.client.get("/privacy")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "«lang»" in html and "Log dei server" in html
    assert "mailto:" in html
    english = desk.client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Data controller" in english and "Server logs" in english
