"""Certified training in a real browser against the whole system: a participant
takes the final test with the keyboard alone and sees the score; answers the
satisfaction survey through the link of its invitation (Likert, a choice, free
text); opens the verification address printed in their certificate's mail and
reads "valid", then "revoked" once the organiser revoked it; another asks for
their training record, opens the link of the mail, sees hours, credits and the
certificate and downloads the CSV. The organiser's pages of each (test
builder and results, certificates, survey builder and results, the
organisation's training summary) are shown along the way. Every page goes
through Person.shot(): screenshot, Content-Security-Policy, axe-core.

The course is set up over the API (tests/browser/course.py); the tests run in
order on one system and share `course`."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser import course as setup
from tests.browser.person import PHONE, Person

ANNA = {"first_name": "Anna", "last_name": "Bianchi", "email": "anna.bianchi@example.org", "locale": "it"}
BEN = {"first_name": "Ben", "last_name": "Carter", "email": "ben.carter@example.org", "locale": "en"}
CERTIFICATE_PAGE = re.compile(r"https?://[^\s\"<>]+/notifications/certificates/[\w-]+")
SURVEY_LINK = re.compile(r"https?://[^\s\"<>]+/registration/s/[0-9a-f]+")
RECORD_LINK = re.compile(r"https?://[^\s\"<>]+/registration/record/[\w-]+")


@pytest.fixture(scope="module")
def course(system) -> dict:
    built = setup.build_course(system)
    built["people"] = {name: setup.register(system, built["slug"], p) for name, p in (("anna", ANNA), ("ben", BEN))}
    return built


@pytest.fixture(scope="module")
def organiser(system, browser, tmp_path_factory):
    person = setup.logged_in_organiser(browser, system, tmp_path_factory.mktemp("organiser-shots"))
    yield person
    person.close()


def test_a_participant_takes_the_final_test_with_the_keyboard(system, browser, shots_dir, course, organiser):
    organiser.shots = shots_dir
    setup.define_final_test(system, course)
    organiser.goto(f"/registration/organiser/events/{course['slug']}/final-test", "test-builder")
    assert setup.FINAL_TEST["questions"][0]["text"]["it"] in organiser.text()

    anna = Person(browser, system, shots_dir, "anna", viewport=PHONE)
    anna.goto(course["people"]["anna"]["manage_url"], "personal-page")
    anna.follow("Test finale", "final-test")
    page = anna.page
    # Question 1 (one answer): the council. Question 2 (several): the first two.
    right = page.get_by_label("Il consiglio comunale", exact=True)
    anna.tab_to(right)
    page.keyboard.press("Space")
    for label in ("Rendiconto", "Bilancio di previsione"):
        anna.tab_to(page.get_by_label(label, exact=True))
        page.keyboard.press("Space")
    assert right.is_checked() and page.get_by_label("Rendiconto", exact=True).is_checked()
    anna.tab_to(page.get_by_role("button", name="Consegna"))
    anna.key_submit("Enter", "score")
    assert "Punteggio: 100" in anna.text() and "Test superato" in anna.text()
    anna.close()

    organiser.page.reload()
    organiser.shot("test-results")
    assert "100" in organiser.text()


def test_a_participant_answers_the_survey_through_its_link(system, browser, shots_dir, course, organiser):
    organiser.shots = shots_dir
    setup.check_in(system, course, course["people"]["anna"])  # surveys of tracked events go to those present
    setup.define_survey(system, course)
    organiser.goto(f"/registration/organiser/events/{course['slug']}/survey", "survey-builder")
    setup.run_survey_invitations(system)
    mail = setup.wait_for_mail(system, ANNA["email"], SURVEY_LINK)
    link = SURVEY_LINK.search(setup.text_of(mail)).group(0)

    anna = Person(browser, system, shots_dir, "anna-survey", viewport=PHONE)
    anna.goto(link, "survey")
    page = anna.page
    page.get_by_label("4", exact=True).check()
    page.get_by_label("In aula", exact=True).check()
    page.get_by_label("Casi pratici", exact=True).check()
    page.get_by_label("Suggerimenti", exact=True).fill("Più esercitazioni, per favore.")
    anna.submit("Invia le risposte", "survey-answered")
    assert "le tue risposte sono state registrate" in anna.text()
    anna.goto(link, "survey-again")  # one answer per invitation
    assert "le tue risposte sono state registrate" in anna.text()
    anna.close()

    organiser.goto(f"/registration/organiser/events/{course['slug']}/survey/results", "survey-results")
    assert "Più esercitazioni" in organiser.text()


def test_a_certificate_verifies_as_valid_then_as_revoked(system, browser, shots_dir, course, organiser):
    organiser.shots = shots_dir
    anna = course["people"]["anna"]  # checked in for the whole course: above the threshold
    mail = setup.wait_for_mail(system, ANNA["email"], CERTIFICATE_PAGE)
    address = CERTIFICATE_PAGE.search(setup.text_of(mail)).group(0)

    reader = Person(browser, system, shots_dir, "hr-office")
    reader.goto(address, "certificate-valid")
    assert "Attestato valido" in reader.text() and "Anna B." in reader.text()
    assert ANNA["email"] not in reader.text()
    organiser.goto(f"/registration/organiser/events/{course['slug']}/certificates", "certificates")
    assert "Bianchi Anna" in organiser.text()

    setup.revoke(system, course, anna, "Presenza registrata per errore")
    setup.reload_until(reader, "Attestato revocato")
    reader.shot("certificate-revoked")
    assert "Revocato dall'organizzatore" in reader.text() and "per errore" not in reader.text()
    reader.close()


def test_a_person_reads_their_training_record_and_downloads_it(system, browser, shots_dir, course, organiser):
    organiser.shots = shots_dir
    setup.check_in(system, course, course["people"]["ben"])
    setup.wait_for_mail(system, BEN["email"], CERTIFICATE_PAGE)

    ben = Person(browser, system, shots_dir, "ben", locale="en-GB")
    ben.goto("/registration/record", "record-request")
    ben.fill({"E-mail used to register *": BEN["email"]})
    ben.submit("Send me the link", "record-asked")
    mail = setup.wait_for_mail(system, BEN["email"], RECORD_LINK)
    ben.goto(RECORD_LINK.search(setup.text_of(mail)).group(0), "record")
    text = ben.text()
    assert setup.COURSE_TITLE["en"] in text and "Download the certificate" in text
    assert f"{setup.CREDIT_AMOUNT:g} {setup.CREDIT_UNIT}" in text and f"{setup.SESSION_HOURS:g}" in text
    with ben.page.expect_download() as caught:
        ben.page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.reader(io.StringIO(open(caught.value.path(), encoding="utf-8-sig").read())))
    assert len(rows) == 2, rows
    header, line = rows
    row = dict(zip(header, line, strict=True))
    assert row["event"] in setup.COURSE_TITLE.values() and float(row["hours"]) == setup.SESSION_HOURS, row
    ben.close()

    organiser.goto(f"/registration/organiser/organisations/{system.organisation_id}/training", "training-summary")
    assert f"{setup.CREDIT_AMOUNT:g} {setup.CREDIT_UNIT}" in organiser.text()
