"""axe-core (WCAG 2.0/2.1 A and AA) on the pages no journey shows, in Italian
and English: the privacy notices, the accessibility statement with its feedback
form (refused with errors, 422, and thanked), the unsubscribe page and an
organisation's invitation, at phone width; and the organisers' pages of
organisations, credit types, the event and session forms with credits and an
online room, the form builder, messages, certificates, the final test, the
survey, attendance imports, the dashboards, the webhooks and the organisation's training summary. Each page
goes through Person.shot() (screenshot, Content-Security-Policy, axe-core).

One system for the module; the data comes over the APIs (tests/browser/course.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from services.demo.plan import CATEGORIES, FIELDS
from services.notifications.mail.unsubscribe_links import token_for
from tests.browser import course as setup
from tests.browser.person import PHONE, Person
from tests.e2e.harness import ORGANISER
from tests.unit.attendance_reports import builders

ZOOM = {"platform": "zoom", "join_url": "https://zoom.example.org/j/86400000123?pwd=corso", "passcode": "112233"}
DORA = {"first_name": "Dora", "last_name": "Galli", "email": "dora.galli@example.org", "locale": "it"}
INVITEE = "nuovo.collega@example.org"
INVITATION_LINK = re.compile(r"https?://[^\s\"<>]+/scheduling/invitations/[\w-]+")
LOCALES = ["it-IT", "en-GB"]
# A form without the browser's checks, its typed values emptied (checkboxes and hidden ones stay).
EMPTIED = """form => {
  form.noValidate = true;
  const typed = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea";
  for (const field of form.querySelectorAll(typed)) field.value = "";
}"""
ORGANISATION_SLUG = "comune-di-prova"  # tests/e2e/harness.py's; scheduling names organisations by slug


@pytest.fixture(scope="module")
def site(system) -> dict:
    """A hybrid course with credits, a custom form and categories, a final test,
    a survey, a registration checked in, an attendance import waiting for
    confirmation and an invitation to the organisation."""
    built = setup.build_course(system, delivery_mode="hybrid", online=ZOOM)
    headers = system.login(ORGANISER)
    api = built["api"]
    setup.ok(system.http.put(system.url(f"{api}/form"), headers=headers, json={"fields": FIELDS}))
    setup.ok(system.http.put(system.url(f"{api}/categories"), headers=headers, json={"categories": CATEGORIES}))
    dora = setup.register(system, built["slug"], DORA | {"category": CATEGORIES[0]["code"]} | _answers())
    setup.define_final_test(system, built)
    setup.define_survey(system, built)
    setup.check_in(system, built, dora)
    built["import_id"] = _zoom_import(system, built)
    invited = system.post(
        f"/scheduling/api/v1/organisations/{ORGANISATION_SLUG}/invitations",
        headers=headers,
        json={"email": INVITEE, "role": "organiser", "locale": "it"},
    )
    setup.ok(invited, 201)
    mail = setup.wait_for_mail(system, INVITEE, INVITATION_LINK)
    built["invitation"] = INVITATION_LINK.search(setup.text_of(mail)).group(0)
    built["dora"] = dora
    return built


def _answers() -> dict:
    """Answers to the demo's required fields."""
    answers = {}
    for field in FIELDS:
        if field.get("required"):
            answers[field["key"]] = field["options"][0]["key"] if field.get("options") else "sì"
    return {"answers": answers} if answers else {}


def _zoom_import(system, built: dict) -> int:
    start = dt.datetime.combine(dt.datetime.now(setup.ROME).date() + dt.timedelta(days=1), dt.time(9), setup.ROME)
    report = builders.zoom(
        [
            ("Dora Galli", DORA["email"], start, start + dt.timedelta(hours=2)),
            ("Galli D.", "", start, start + dt.timedelta(hours=1)),  # a guest: proposed by name
        ]
    )
    uploaded = system.post(
        f"{built['api']}/attendance-imports",
        headers=system.login(ORGANISER),
        files={"file": ("participants_86400000123.csv", report, "text/csv")},
        data={"target": f"session:{built['session_id']}"},
    )
    return setup.ok(uploaded, 201)["id"]


@pytest.mark.parametrize("locale", LOCALES)
def test_participant_pages_at_phone_width(system, browser, shots_dir, site, locale):
    visitor = Person(browser, system, shots_dir, f"participant-{locale}", locale=locale, viewport=PHONE)
    slug = site["slug"]
    for path in (
        "/registration/privacy",
        f"/registration/events/{slug}/privacy",
        "/registration/record",
        f"/notifications/unsubscribe/{token_for(setup.E2E_SECRET, site['dora']['id'])}",
        site["invitation"],
    ):
        visitor.goto(path)
    # The invitation without an account: the account's form sent empty, refused and named.
    assert _send_empty(visitor, site["invitation"]) == 422
    visitor.shot("invitation-errors")
    visitor.goto("/notifications/accessibility")
    # The feedback form sent empty: 422 with the errors named, then sent and thanked.
    with visitor.page.expect_navigation() as sent:
        visitor.page.locator("main form button[type=submit]").click()
    assert sent.value.status == 422
    visitor.shot("accessibility-feedback-errors")
    visitor.page.fill("#message", "Il calendario non si legge con lo zoom al 200 %.")
    with visitor.page.expect_navigation():
        visitor.page.locator("main form button[type=submit]").click()
    visitor.shot("accessibility-feedback-thanks")
    assert "/notifications/accessibility/thanks" in visitor.page.url
    assert len(visitor.checked) == 9, visitor.checked
    visitor.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_organiser_pages(system, browser, shots_dir, site, locale):
    organiser = setup.logged_in_organiser(browser, system, shots_dir, locale=locale)
    slug, org = site["slug"], system.organisation_id
    scheduling, registration = f"/scheduling/organiser/events/{slug}", f"/registration/organiser/events/{slug}"
    first_field, first_category = FIELDS[0]["key"], CATEGORIES[0]["code"]
    for path in (
        "/scheduling/organiser/organisations/",
        f"/scheduling/organiser/organisations/{ORGANISATION_SLUG}/",
        f"/scheduling/organiser/organisations/{ORGANISATION_SLUG}/audit",
        "/scheduling/organiser/credit-types",
        f"/scheduling/organiser/credit-types/{site['credit_type_id']}",
        "/scheduling/organiser/events/new",
        f"{scheduling}/edit",
        f"{scheduling}/schedule/sessions/new",
        f"{scheduling}/schedule/sessions/{site['session_id']}",
        f"{registration}/form",
        f"{registration}/form/fields/new",
        f"{registration}/form/fields/{first_field}",
        f"{registration}/form/categories/new",
        f"{registration}/form/categories/{first_category}",
        f"{registration}/form/preview",
        f"{registration}/privacy",
        f"{registration}/certificates",
        f"{registration}/final-test",
        f"{registration}/survey",
        f"{registration}/survey/results",
        f"{registration}/attendance-imports",
        f"{registration}/attendance-imports/{site['import_id']}",
        f"/registration/organiser/organisations/{org}/training",
        f"{registration}/messages",
        f"{registration}/dashboard",
        f"/registration/organiser/organisations/{org}/dashboard",
        "/notifications/organiser/webhooks",
        f"/notifications/organiser/organisations/{org}/webhooks",
    ):
        response = organiser.goto(path, path.replace(slug, "event").replace(org, "org").strip("/"))
        assert response.status == 200, (path, response.status)
    # The forms that create something, sent empty: the page again with its errors (422).
    for path in (
        "/scheduling/organiser/credit-types",
        "/scheduling/organiser/events/new",
        f"{scheduling}/schedule/sessions/new",
        f"{registration}/form/fields/new",
        f"{registration}/form/categories/new",
    ):
        organiser.page.goto(path)
        status = _send_empty(organiser, path)
        organiser.shot(path.replace(slug, "event").strip("/").replace("/", "-") + "-errors")
        assert status == 422, (path, status)
    # Messages: sent empty (the errors), then written and previewed.
    organiser.page.goto(f"{registration}/messages")
    organiser.submit(_button(locale, "Anteprima", "Preview"), "messages-errors")
    organiser.page.fill("#subject_it", "Cambio di aula")
    organiser.page.fill("#body_it", "La lezione si terrà in sala giunta.\n\nhttps://eventi.example/mappa")
    organiser.submit(_button(locale, "Anteprima", "Preview"), "messages-preview")
    assert "Cambio di aula" in organiser.text()
    assert len(organiser.checked) == 35, organiser.checked
    organiser.close()


def _send_empty(person: Person, path: str) -> int:
    """Send the page's last form with text to type, emptied and without the
    browser's own checks (the server's answer is what is tested); its status."""
    fields = person.page.locator("input[type=text], input[type=email], input:not([type]), textarea")
    form = person.page.locator("main form").filter(has=fields).last
    assert form.count(), f"no form to send on {path}"
    form.evaluate(EMPTIED)
    with person.page.expect_navigation() as sent:
        form.locator("button[type=submit]").last.click()
    return sent.value.status


def _button(locale: str, italian: str, english: str) -> str:
    return italian if locale.startswith("it") else english
