"""The participants' and organisers' journeys in a real browser against the whole system:
an organiser creates and publishes an event with a workshop; a participant
registers in Italian, picks the workshop, sees the confirmation, finds the
invitation on the mail page and cancels; a waitlisted participant is
promoted and accepts the offer; a participant registers and cancels with the
keyboard alone; an organiser checks a participant in with the keyboard alone,
by the code (no camera) and by name; the key pages at phone width in Italian and
English. Every page shown is checked with axe-core (WCAG 2.1 AA, person.py).

The tests run in order on one system and share `journey` (the event, the
personal pages). Screenshots: test-output/browser/<test>/."""

from __future__ import annotations

import datetime as dt
import re
import time
import zoneinfo

import pytest

from services.registration.checkin import checkin_code
from tests.browser import accessibility
from tests.browser.person import PHONE, Person
from tests.e2e.harness import ORGANISER

E2E_SECRET = "e2e-secret-of-at-least-thirty-two-characters"  # SECRET_KEY of tests/e2e/harness.py

ROME = zoneinfo.ZoneInfo("Europe/Rome")
BUS_SECONDS = 30
TITLE = "Corso di bilancio partecipativo"
WORKSHOP = "Laboratorio di bilancio"
ANNA = {"first_name": "Anna", "last_name": "Bianchi", "email": "anna.bianchi@example.org"}
CARLA = {"first_name": "Carla", "last_name": "Rossi", "email": "carla.rossi@example.org"}
BEN = {"first_name": "Ben", "last_name": "Carter", "email": "ben.carter@example.org"}


@pytest.fixture(scope="module")
def journey() -> dict:
    return {}


def reload_until(person: Person, text: str, timeout: float = BUS_SECONDS) -> None:
    """Reload until the page shows `text` (things travelling over the bus)."""
    deadline = time.monotonic() + timeout
    while text not in person.page.content():
        assert time.monotonic() < deadline, f"{person.page.url} never showed {text!r}:\n{person.text()}"
        time.sleep(0.5)
        person.page.reload()


def event_days() -> tuple[dt.date, dt.date]:
    """Tomorrow and the day after in Rome: offers are made only before the event starts."""
    today = dt.datetime.now(ROME).date()
    return today + dt.timedelta(days=1), today + dt.timedelta(days=2)


def test_an_organiser_creates_and_publishes_an_event_with_a_workshop(system, browser, shots_dir, journey):
    organiser = Person(browser, system, shots_dir, "organiser")
    organiser.goto("/scheduling/organiser/", "login-asked")
    assert "/scheduling/login" in organiser.page.url
    organiser.page.fill("#email", ORGANISER["email"])
    organiser.page.fill("#password", ORGANISER["password"])
    organiser.submit("Entra", "events")
    organiser.follow("Nuovo evento")
    first, second = event_days()
    organiser.page.fill("#title_it", TITLE)
    organiser.page.select_option("#type", "course")
    organiser.page.fill("#starts_at", f"{first.isoformat()}T09:00")
    organiser.page.fill("#ends_at", f"{second.isoformat()}T22:00")
    organiser.page.fill("#capacity", "1")
    organiser.page.fill("#venue", "Università, Aula Magna")
    organiser.submit("Salva", "event-created")
    slug = organiser.page.url.rstrip("/").rsplit("/", 1)[-1]
    journey.update(slug=slug, organiser=organiser)
    assert "Bozza" in organiser.text()

    organiser.follow("Sale")
    organiser.page.fill("#name", "Aula Magna")
    organiser.page.fill("#capacity", "30")
    organiser.submit("Aggiungi", "room-added")
    organiser.follow("Griglia del programma")
    organiser.follow("Nuova sessione")
    organiser.page.fill("#title_it", WORKSHOP)
    organiser.page.fill("#day", second.isoformat())
    organiser.page.fill("#start", "10:00")
    organiser.page.fill("#end", "12:00")
    organiser.page.select_option("#room_id", label="Aula Magna")
    organiser.page.check("#requires_signup")
    organiser.page.fill("#seat_limit", "5")
    organiser.submit("Salva", "grid-with-workshop")
    assert WORKSHOP in organiser.text() and "Nessun conflitto" in organiser.text()

    organiser.follow("Panoramica")
    organiser.submit("Pubblica l'evento", "published")
    assert "Pubblicato" in organiser.text()
    organiser.follow("Pubblica una versione")
    assert "Aggiunte (1)" in organiser.text()
    organiser.submit("Pubblica la versione", "version-released")
    assert "Versione 1.0 pubblicata" in organiser.text()

    _offer_freed_places(system, slug)
    organiser.goto(f"/scheduling/events/{slug}", "public-event-page")
    assert WORKSHOP in organiser.text() and "Aula Magna" in organiser.text()


def _offer_freed_places(system, slug: str) -> None:
    """Registration settings have no page yet: the organiser sets "offer" promotion over the API."""
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=BUS_SECONDS,
        message="registration to learn of the event",
    )
    response = system.http.patch(
        system.url(f"/registration/api/v1/organiser/events/{slug}/policies"),
        json={"promotion_mode": "offer", "offer_hours": 24},
        headers=system.login(ORGANISER),
    )
    assert response.status_code == 200, response.text


def test_a_participant_registers_in_italian_with_the_workshop(system, browser, shots_dir, journey):
    anna = Person(browser, system, shots_dir, "anna", locale="it-IT", viewport=PHONE)
    anna.goto("/", "home")
    assert "Eventi in programma" in anna.text()
    anna.follow(TITLE, "event-page")
    anna.follow("Iscriviti", "register-form")
    reload_until(anna, WORKSHOP)
    anna.page.fill("#first_name", ANNA["first_name"])
    anna.page.fill("#email", ANNA["email"])
    anna.submit("Iscrivimi", "register-errors")
    assert anna.page.get_attribute("#last_name", "aria-invalid") == "true"
    assert anna.page.input_value("#first_name") == ANNA["first_name"]  # what was typed stays
    anna.page.fill("#last_name", ANNA["last_name"])
    anna.page.get_by_label(re.compile(WORKSHOP)).check()
    anna.page.check("#privacy_consent")
    anna.submit("Iscrivimi", "confirmation")
    assert "Iscrizione ricevuta" in anna.text() and "Confermata" in anna.text()
    assert WORKSHOP in anna.text()
    journey["anna"] = anna


def test_the_participant_finds_the_invitation_on_the_mail_page(system, shots_dir, journey):
    anna = journey["anna"]
    anna.shots = shots_dir
    manage_url = anna.page.url
    anna.goto("/notifications/mail", "mail-page")
    reload_until(anna, ANNA["email"])
    anna.follow(next(s for s in _subjects(anna, ANNA["email"]) if s), "invitation")
    assert "METHOD:REQUEST" in anna.page.content()
    anna.goto(manage_url, "personal-page")


def _subjects(person: Person, address: str) -> list[str]:
    rows = person.page.locator("tbody tr", has_text=address)
    linked = [rows.nth(i) for i in range(rows.count()) if rows.nth(i).locator("a").count()]
    return [row.locator("a").first.inner_text() for row in linked]


def test_a_waitlisted_participant_is_promoted_and_accepts_the_offer(system, browser, shots_dir, journey):
    ben = Person(browser, system, shots_dir, "ben", locale="en-GB")
    ben.goto("/", "home-english")
    assert "Upcoming events" in ben.text()  # the browser's language
    ben.follow("Italiano", "home-switched-to-italian")
    assert "Eventi in programma" in ben.text()
    ben.follow("English", "home-switched-back")
    ben.goto(f"/registration/events/{journey['slug']}/register", "register-form")
    ben.page.fill("#first_name", BEN["first_name"])
    ben.page.fill("#last_name", BEN["last_name"])
    ben.page.fill("#email", BEN["email"])
    ben.page.check("#privacy_consent")
    ben.submit("Register me", "waitlisted")
    assert "waiting list" in ben.text().lower() and "1" in ben.text()

    anna = journey["anna"]
    anna.shots = shots_dir
    anna.page.once("dialog", lambda dialog: dialog.accept())
    anna.submit("Annulla l'iscrizione", "anna-cancelled")
    assert "Annullata" in anna.text()

    ben.page.reload()
    reload_until(ben, "I accept the seat")
    ben.shot("offer")
    ben.submit("I accept the seat", "accepted")
    assert "Confirmed" in ben.text()
    journey["ben"] = ben


def test_a_participant_changes_answers_and_workshops(system, shots_dir, journey):
    ben = journey["ben"]
    ben.shots = shots_dir
    ben.follow("Change details, answers and workshops", "change-form")
    ben.page.fill("#organisation", "University of Example")
    ben.page.get_by_label(re.compile(WORKSHOP)).check()
    ben.submit("Save", "changed")
    assert "Changes saved." in ben.text() and WORKSHOP in ben.text()


def test_a_participant_registers_and_cancels_with_the_keyboard_only(system, browser, shots_dir, journey):
    carla = Person(browser, system, shots_dir, "carla")
    carla.goto(f"/scheduling/events/{journey['slug']}", "event-page")
    page = carla.page
    carla.tab_to(page.locator(".skiplinks a"), limit=1)  # the first stop: "Vai al contenuto"
    carla.tab_to(page.get_by_role("link", name="Iscriviti", exact=True))
    carla.key_submit("Enter", "register-form")
    carla.tab_to(page.locator("#first_name"))
    page.keyboard.type(CARLA["first_name"])
    carla.tab_to(page.get_by_role("button", name="Iscrivimi"))
    carla.key_submit("Enter", "register-errors")
    # the summary at the top has the focus and links to each field
    assert page.evaluate("document.activeElement.id") == "error-summary"
    carla.tab_to(page.locator("#error-summary a[href='#last_name']"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "last_name"
    page.keyboard.type(CARLA["last_name"])
    carla.tab_to(page.locator("#email"))
    page.keyboard.type(CARLA["email"])
    carla.tab_to(page.locator("#privacy_consent"))
    page.keyboard.press("Space")
    carla.tab_to(page.get_by_role("button", name="Iscrivimi"))
    carla.key_submit("Enter", "registered")
    assert "Iscrizione ricevuta" in carla.text() and "lista d'attesa" in carla.text().lower()

    page.once("dialog", lambda dialog: dialog.accept())
    carla.tab_to(page.get_by_role("button", name="Annulla l'iscrizione"))
    carla.key_submit("Enter", "cancelled")
    assert "Annullata" in carla.text()
    carla.close()


def _registration_id(system, slug: str, email: str) -> str:
    response = system.get(
        f"/registration/api/v1/organiser/events/{slug}/registrations",
        params={"q": email},
        headers=system.login(ORGANISER),
    )
    assert response.status_code == 200, response.text
    return next(r["id"] for r in response.json()["items"] if r["email"] == email)


def test_an_organiser_checks_a_participant_in_with_the_keyboard_only(system, shots_dir, journey):
    organiser = journey["organiser"]
    organiser.shots = shots_dir
    page = organiser.page
    organiser.goto(f"/registration/organiser/events/{journey['slug']}/registrations", "registrations")
    assert BEN["email"] in organiser.text()
    organiser.tab_to(page.locator(".subnav").get_by_role("link", name="Check-in", exact=True))
    organiser.key_submit("Enter", "checkin-desk")
    # No camera: the code of the QR is typed (or sent by a handheld scanner, which types too).
    organiser.tab_to(page.locator("#code"))
    page.keyboard.type(checkin_code(E2E_SECRET, _registration_id(system, journey["slug"], BEN["email"])))
    organiser.key_submit("Enter", "checked-in-by-code")
    assert "Check-in fatto: Ben Carter" in organiser.text()
    # By name: found, marked as entered; a second check-in says so.
    organiser.tab_to(page.locator("#q"))
    page.keyboard.type("Carter")
    organiser.key_submit("Enter", "checkin-search")
    assert "entrato" in organiser.text()
    organiser.tab_to(page.get_by_role("button", name=f"Check-in {BEN['first_name']} {BEN['last_name']}", exact=True))
    organiser.key_submit("Enter", "checked-in-again")
    assert "Ben Carter era già registrato." in organiser.text()
    organiser.goto(f"/notifications/organiser/mail?event={journey['slug']}", "organiser-mail")
    assert BEN["email"] in organiser.text()
    organiser.follow("Messaggi bloccati del bus", "parked-messages")
    assert "Nessun messaggio bloccato." in organiser.text()


@pytest.mark.parametrize("locale", ["it-IT", "en-GB"])
def test_the_key_pages_at_phone_width(system, browser, shots_dir, journey, locale):
    """Participant and organiser pages at 375x740, in the browser's language: axe finds
    nothing (Person.shot checks each page)."""
    slug = journey["slug"]
    visitor = Person(browser, system, shots_dir, f"phone-{locale}", locale=locale, viewport=PHONE)
    for path in (
        "/scheduling/",
        f"/scheduling/events/{slug}",
        f"/registration/events/{slug}/register",
        f"/registration/events/{slug}/link",
        journey["ben"].page.url.split("?")[0],
        "/notifications/mail",
        "/scheduling/login",
    ):
        visitor.goto(path)
    visitor.goto(f"/registration/events/{slug}/register", "register-form-again")
    visitor.page.get_by_role("button").last.click()  # sent empty: errors and their summary
    visitor.page.wait_for_selector("#error-summary")
    visitor.shot("register-errors")
    visitor.goto("/scheduling/login")
    visitor.page.fill("#email", ORGANISER["email"])
    visitor.page.fill("#password", ORGANISER["password"])
    with visitor.page.expect_navigation():
        visitor.page.locator("main form button[type=submit]").click()
    for path in (
        "/scheduling/organiser/",
        f"/scheduling/organiser/events/{slug}",
        f"/scheduling/organiser/events/{slug}/edit",
        f"/scheduling/organiser/events/{slug}/rooms",
        f"/scheduling/organiser/events/{slug}/schedule",
        f"/scheduling/organiser/events/{slug}/release",
        f"/registration/organiser/events/{slug}/registrations",
        f"/registration/organiser/events/{slug}/waitlists",
        f"/registration/organiser/events/{slug}/checkin",
        f"/notifications/organiser/mail?event={slug}",
    ):
        visitor.goto(path, path.replace(slug, "event").split("?")[0].strip("/").replace("/", "-"))
    assert len(visitor.checked) >= 18, visitor.checked
    visitor.close()


def test_axe_sees_a_violation_when_there_is_one(system, browser, shots_dir):
    """Control: the check is live. An image without a text alternative is reported."""
    reader = Person(browser, system, shots_dir, "control")
    reader.goto("/scheduling/")
    reader.page.evaluate(
        "document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/x.png'}))"
    )
    found = accessibility.violations(reader.page)
    assert [v["id"] for v in found] == ["image-alt"], found
    assert "image-alt" in accessibility.readable(reader.page.url, found)
    reader.close()


def test_the_api_docs_work_under_the_content_security_policy(system, browser, shots_dir):
    reader = Person(browser, system, shots_dir, "api-reader")
    reader.goto("/scheduling/api/v1/docs", "scheduling-api-docs")
    reader.page.wait_for_selector(".swagger-ui .info .title")
    assert "Eventi scheduling API" in reader.page.inner_text(".swagger-ui .info .title")
    reader.shot("scheduling-api-docs-rendered")
    # Control: an inline script is refused and seen.
    try:
        reader.page.add_script_tag(content="window.inlineRan = true")
    except Exception:
        pass  # Playwright may report the refused tag itself
    assert not reader.page.evaluate("window.inlineRan === true")
    reader.page.wait_for_timeout(200)
    assert any("Content Security Policy" in message for message in reader.blocked), reader.blocked
    reader.close()
