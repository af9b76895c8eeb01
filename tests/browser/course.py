"""A certified course set up over the HTTP APIs for the browser tests, as an
organiser's scripts would: a credit type of the organisation, a course of one
session worth SESSION_HOURS hours and CREDIT_AMOUNT credits with a 50 %
attendance threshold, registrations, check-ins, a final test, a survey, a
revocation. Plus what the tests need around it: the organiser logged in in the
browser, the mails of the harness's SMTP sink, and the survey invitations job
run once (the worker runs it every five minutes)."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from email.message import EmailMessage
from pathlib import Path
from re import Pattern

from tests.browser.person import Person
from tests.e2e.harness import ORGANISER, System
from tests.e2e.smtp_sink import CaughtMail

E2E_SECRET = "e2e-secret-of-at-least-thirty-two-characters"  # SECRET_KEY of tests/e2e/harness.py
ROME = zoneinfo.ZoneInfo("Europe/Rome")
BUS_SECONDS = 30
COURSE_TITLE = {"it": "Corso di contabilità armonizzata", "en": "Course in harmonised accounting"}
SESSION_HOURS = 3.0
CREDIT_NAME = {"it": "Crediti formativi revisori", "en": "Auditors' training credits"}
CREDIT_UNIT = "CFP"
CREDIT_AMOUNT = 4.0
FINAL_TEST = {
    "title": {"it": "Verifica finale", "en": "Final check"},
    "pass_percent": 60,
    "attempts_allowed": 2,
    "questions": [
        {
            "kind": "single",
            "text": {"it": "Chi approva il rendiconto?", "en": "Who approves the accounts?"},
            "options": [
                {"text": {"it": "Il consiglio comunale", "en": "The council"}, "correct": True},
                {"text": {"it": "La giunta", "en": "The executive"}, "correct": False},
            ],
        },
        {
            "kind": "multiple",
            "text": {"it": "Quali sono documenti contabili?", "en": "Which are accounting documents?"},
            "options": [
                {"text": {"it": "Rendiconto", "en": "Accounts"}, "correct": True},
                {"text": {"it": "Bilancio di previsione", "en": "Budget"}, "correct": True},
                {"text": {"it": "Albo pretorio", "en": "Notice board"}, "correct": False},
            ],
        },
    ],
}
SURVEY_QUESTIONS = [
    {"key": "overall", "kind": "likert", "text": {"it": "Giudizio complessivo", "en": "Overall"}, "required": True},
    {
        "key": "format",
        "kind": "single",
        "text": {"it": "Formato preferito", "en": "Preferred format"},
        "options": [
            {"key": "room", "label": {"it": "In aula", "en": "In the room"}},
            {"key": "online", "label": {"it": "Online", "en": "Online"}},
        ],
    },
    {
        "key": "topics",
        "kind": "multiple",
        "text": {"it": "Argomenti utili", "en": "Useful topics"},
        "options": [
            {"key": "law", "label": {"it": "Norme", "en": "Rules"}},
            {"key": "cases", "label": {"it": "Casi pratici", "en": "Case studies"}},
        ],
    },
    {"key": "notes", "kind": "text", "text": {"it": "Suggerimenti", "en": "Suggestions"}},
]


def naive(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=None).isoformat()


def ok(response, status: int = 200):
    assert response.status_code == status, f"{response.request.method} {response.url}: {response.text}"
    return response.json() if response.content else None


def build_course(system: System, **extra) -> dict:
    """The published course, known to registration, with its threshold; its slug and ids.
    `extra`: more of the event's fields (delivery_mode, online...)."""
    headers = system.login(ORGANISER)
    org = system.organisation_id
    credit = ok(
        system.post(
            f"/scheduling/api/v1/organisations/{org}/credit-types",
            headers=headers,
            json={"name": CREDIT_NAME, "unit": CREDIT_UNIT},
        ),
        201,
    )
    day = dt.datetime.now(ROME).date() + dt.timedelta(days=1)
    starts = dt.datetime.combine(day, dt.time(9), ROME)
    body = {
        "title": COURSE_TITLE,
        "type": "course",
        "starts_at": naive(starts),
        "ends_at": naive(starts + dt.timedelta(hours=8)),
        "timezone": "Europe/Rome",
        "capacity": 30,
        "venue": "Sala consiliare",
        "credits": [{"type_id": credit["id"], "amount": CREDIT_AMOUNT}],
        **extra,
    }
    slug = ok(system.post("/scheduling/api/v1/events", headers=headers, json=body), 201)["slug"]
    api = f"/scheduling/api/v1/events/{slug}"
    lesson = {
        "title": {"it": "Il rendiconto", "en": "The accounts"},
        "starts_at": naive(starts),
        "ends_at": naive(starts + dt.timedelta(hours=2)),
        "hours": SESSION_HOURS,
    }
    session_id = ok(system.post(f"{api}/sessions", headers=headers, json=lesson), 201)["id"]
    ok(system.post(f"{api}/publish", headers=headers))
    ok(system.post(f"{api}/schedule/releases", headers=headers, json={"name": "1.0"}), 201)
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=BUS_SECONDS,
        message="registration to learn of the course",
    )
    registration = f"/registration/api/v1/organiser/events/{slug}"
    ok(system.http.patch(system.url(f"{registration}/policies"), headers=headers, json={"attendance_threshold": 50}))
    return {"slug": slug, "session_id": session_id, "credit_type_id": credit["id"], "api": registration}


def register(system: System, slug: str, person: dict) -> dict:
    answer = ok(system.post(f"/registration/api/v1/events/{slug}/registrations", json=person), 201)
    assert answer["registration"]["status"] == "confirmed", answer
    return {**answer["registration"], "manage_url": answer["manage_url"], "token": answer["token"]}


def check_in(system: System, course: dict, registration: dict) -> None:
    """At the desk for the session, once the programme reached registration."""

    def scanned():
        response = system.post(
            f"{course['api']}/checkins",
            headers=system.login(ORGANISER),
            json={"registration_id": registration["id"], "session_id": course["session_id"]},
        )
        return response.status_code in (200, 201)

    system.wait_for(scanned, timeout=BUS_SECONDS, message="the programme to reach registration for a check-in")


def define_final_test(system: System, course: dict) -> None:
    put = system.http.put(system.url(f"{course['api']}/final-test"), headers=system.login(ORGANISER), json=FINAL_TEST)
    ok(put)


def define_survey(system: System, course: dict) -> None:
    """Open since an hour ago (by default a survey opens when the event ends)."""
    opens = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(hours=1)
    body = {"anonymous": True, "opens_at": opens.isoformat(), "open_days": 14, "reminder_days": 7}
    put = system.http.put(
        system.url(f"{course['api']}/survey"),
        headers=system.login(ORGANISER),
        json={**body, "questions": SURVEY_QUESTIONS},
    )
    ok(put)


def run_survey_invitations(system: System) -> int:
    """The worker's SurveyInvitations job, once, on registration's database; the
    worker's outbox relay then publishes the invitations and notifications mails them."""
    from services.registration.models import Outbox
    from services.registration.worker import jobs
    from shared.db import make_engine, make_session_factory

    engine = make_engine(system.database_urls["registration"])
    try:
        factory = make_session_factory(engine, service="registration", outbox_model=Outbox)
        return jobs.invite_to_surveys(factory, base_url=system.base_url, secret_key=E2E_SECRET)
    finally:
        engine.dispose()


def revoke(system: System, course: dict, registration: dict, reason: str) -> None:
    path = f"{course['api']}/registrations/{registration['id']}/certificate/decisions"
    response = system.post(path, headers=system.login(ORGANISER), json={"action": "revoke", "reason": reason})
    assert response.status_code in (200, 201), response.text


def text_of(mail: CaughtMail) -> str:
    message: EmailMessage = mail.message
    parts = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    return "\n".join(str(p.get_content()) for p in parts)


def wait_for_mail(system: System, address: str, pattern: Pattern[str], timeout: float = BUS_SECONDS) -> CaughtMail:
    """The first mail to `address` whose text matches `pattern`."""

    def found():
        system.fail_if_crashed()
        return next((m for m in system.mail.to(address) if pattern.search(text_of(m))), None)

    return system.wait_for(
        found,
        timeout=timeout,
        message=lambda: (
            f"a mail to {address} matching {pattern.pattern}; got "
            + "; ".join(m.summary() for m in system.mail.to(address))
        ),
    )  # type: ignore[return-value]


def reload_until(person: Person, text: str, timeout: float = BUS_SECONDS) -> None:
    """Reload until the page shows `text` (things travelling over the bus)."""
    deadline = time.monotonic() + timeout
    while text not in person.page.content():
        assert time.monotonic() < deadline, f"{person.page.url} never showed {text!r}:\n{person.text()}"
        time.sleep(0.5)
        person.page.reload()


def logged_in_organiser(browser, system: System, shots: Path, *, locale: str = "it-IT") -> Person:
    """The organiser in the browser, through the login form (not axe-checked: the journeys check it)."""
    person = Person(browser, system, shots, f"organiser-{locale}", locale=locale)
    person.page.goto("/scheduling/login")
    person.page.fill("#email", ORGANISER["email"])
    person.page.fill("#password", ORGANISER["password"])
    with person.page.expect_navigation():
        person.page.locator("main form button[type=submit]").click()
    return person
