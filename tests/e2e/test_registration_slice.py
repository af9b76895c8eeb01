"""The registration slice end to end, on both ways to run: an organiser
publishes an event with one seat, A takes it, B waits, A cancels, B moves up;
every e-mail arrives over real SMTP and every invitation is judged by parsers
we did not write (tests/validators). Also: health, readiness, OpenAPI, and
clear 4xx JSON errors for bad input."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from icalendar import Calendar

from tests.e2e.harness import ADMIN, ORGANISER, SERVICES, System
from tests.validators import VALIDATORS, all_problems, strict_mode
from tests.validators.icaljs import icaljs_check

ROME = zoneinfo.ZoneInfo("Europe/Rome")
ORGANIZER_MAILTO = "mailto:programma@eventi.example"  # ORGANIZER_EMAIL in the harness
EVENT_SECONDS = 30  # deadline for anything that travels over the bus or SMTP

TITLE = {"it": "Bilancio partecipativo nei comuni", "en": "Participatory budgeting in municipalities"}
ANNA = {
    "first_name": "Anna",
    "last_name": "Bianchi",
    "email": "anna.bianchi@example.org",
    "organisation": "Comune di Prova",
    "locale": "it",
}
BEN = {
    "first_name": "Ben",
    "last_name": "Carter",
    "email": "ben.carter@example.org",
    "organisation": "University of Example",
    "locale": "en",
}


def event_times() -> tuple[dt.datetime, dt.datetime]:
    """09:30-13:00 Rome time on 15 July next year (summer time: UTC+2)."""
    start = dt.datetime(dt.date.today().year + 1, 7, 15, 9, 30, tzinfo=ROME)
    return start, start.replace(hour=13, minute=0)


def utc_z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def named_fields(body: dict) -> set[str]:
    """Top-level field names a JSON error body blames, whatever the location."""
    return {name for location in (body.get("errors") or {}).values() for name in location}


# --- mail helpers ------------------------------------------------------------------


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def calendar_parts(message) -> list:
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def invitation_of(mail) -> tuple[bytes, Calendar]:
    """The iMIP structure of calendar.md 1d, checked on the way: multipart/mixed
    holding multipart/alternative with text/calendar;method=X equal to the
    body's METHOD, and the same bytes again as an .ics attachment."""
    message = mail.message
    assert message.get_content_type() == "multipart/mixed", mail.summary()
    alternative = next(p for p in message.iter_parts() if p.get_content_type() == "multipart/alternative")
    kinds = [part.get_content_type() for part in alternative.iter_parts()]
    assert kinds[:2] == ["text/plain", "text/html"] and kinds.count("text/calendar") == 1, kinds
    calendar_part = calendar_parts(alternative)[0]
    assert calendar_part.get_content_disposition() is None
    assert calendar_part.get_content_charset() == "utf-8"
    ics = calendar_part.get_payload(decode=True)
    calendar = Calendar.from_ical(ics)
    assert calendar_part.get_param("method") == str(calendar["METHOD"])  # upper case, identical
    attachments = [p for p in message.iter_attachments() if (p.get_filename() or "").endswith(".ics")]
    assert len(attachments) == 1, [p.get_filename() for p in message.iter_attachments()]
    assert attachments[0].get_payload(decode=True) == ics
    assert calendar_parts(message) == [calendar_part]  # the attachment is application/ics
    return ics, calendar


def assert_valid_everywhere(ics: bytes) -> None:
    problems = all_problems(ics)
    if strict_mode():
        assert set(problems) == set(VALIDATORS)
    assert problems and problems == {name: [] for name in problems}, problems


def assert_invitation(mail, *, method: str, attendee: dict, sequence: int, starts_at: dt.datetime) -> str:
    """Checks one iTIP message end to end; returns its UID."""
    ics, calendar = invitation_of(mail)
    assert str(calendar["METHOD"]) == method
    (event,) = calendar.events
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a).lower() for a in attendees] == [f"mailto:{attendee['email']}"]
    assert str(event["ORGANIZER"]).lower() == ORGANIZER_MAILTO
    assert int(event["SEQUENCE"]) == sequence
    assert str(event["STATUS"]) == ("CONFIRMED" if method == "REQUEST" else "CANCELLED")
    assert_valid_everywhere(ics)
    uid = str(event["UID"])
    assert icaljs_check(ics)["events"][uid]["start"] == utc_z(starts_at)  # what Thunderbird shows
    return uid


def assert_language(mail, language: str, title: str) -> None:
    message = mail.message
    assert message["Content-Language"] == language
    assert title in str(message["Subject"])
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'lang="{language}"' in html


# --- the system answers ---------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_is_alive_and_ready(system: System, service):
    for probe in ("healthz", "readyz"):
        response = system.get(f"/{service}/{probe}")
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("application/json")
    checks = system.get(f"/{service}/readyz").json()["checks"]
    assert checks["database"]["ok"] and checks["bus"]["ok"]


EXPECTED_PATHS = {
    "scheduling": {"/api/v1/auth/token", "/api/v1/events", "/api/v1/events/{slug}/publish"},
    "registration": {"/api/v1/events/{slug}/registrations", "/api/v1/self/{token}/cancel"},
    "notifications": {"/api/v1/deliveries"},
}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_publishes_an_openapi_3_document(system: System, service):
    response = system.get(f"/{service}/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert re.fullmatch(r"3\.\d+\.\d+", document["openapi"])
    assert document["info"]["title"] and document["info"]["version"]
    assert EXPECTED_PATHS[service] <= set(document["paths"])
    for path, item in document["paths"].items():
        assert path.startswith("/")
        for method, operation in item.items():
            if method in HTTP_METHODS:
                assert operation["responses"], f"{method} {path} documents no response"
    for ref in _refs(document):  # every $ref points inside the document
        node = document
        assert ref.startswith("#/"), ref
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --- bad input -------------------------------------------------------------------------


def event_body(**overrides) -> dict:
    starts, ends = event_times()
    body = {
        "title": TITLE,
        "type": "seminar",
        "starts_at": starts.replace(tzinfo=None).isoformat(),
        "ends_at": ends.replace(tzinfo=None).isoformat(),
        "timezone": "Europe/Rome",
        "venue": "Sala consiliare",
        "capacity": 1,
    }
    body.update(overrides)
    return body


def assert_error(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == status and body["message"]
    if field:
        assert field in named_fields(body), body


def test_invalid_input_gets_a_4xx_json_body_naming_the_field(system: System):
    organiser, admin = system.login(ORGANISER), system.login(ADMIN)
    events = "/scheduling/api/v1/events"
    assert_error(system.post(events, json=event_body()), 401)
    assert_error(
        system.post("/scheduling/api/v1/auth/token", json={"email": ORGANISER["email"], "password": "wrong"}), 401
    )
    assert_error(
        system.post("/scheduling/api/v1/auth/token", json={"email": "not-an-email", "password": "x"}), 422, "email"
    )
    assert_error(system.post(events, headers=organiser, json=event_body(timezone="Mars/Olympus")), 422, "timezone")
    assert_error(system.post(events, headers=organiser, json=event_body(type="party")), 422, "type")
    assert_error(system.post(events, headers=organiser, json=event_body(title={"en": "No Italian"})), 422, "title")
    assert_error(
        system.post(events, headers=organiser, json=event_body(ends_at=event_body()["starts_at"])), 422, "ends_at"
    )
    assert_error(system.post(events, headers=organiser, json=event_body(capacity=-1)), 422, "capacity")
    # An admin belongs to no organisation: it must name an existing one.
    assert_error(system.post(events, headers=admin, json=event_body()), 422, "organisation_ids")
    assert_error(
        system.post(events, headers=admin, json=event_body(organisation_ids=["no-such-org"])), 422, "organisation_ids"
    )
    twice = [system.organisation_id, system.organisation_id]  # folded into one, not a 500
    created = system.post(events, headers=admin, json=event_body(organisation_ids=twice))
    assert created.status_code == 201, created.text
    assert created.json()["organisation_ids"] == [system.organisation_id]

    registrations = "/registration/api/v1/events/no-such-event-2099/registrations"
    assert_error(system.post(registrations, json={**ANNA, "email": "not-an-email"}), 422, "email")
    assert_error(system.post(registrations, json={**ANNA, "locale": "de"}), 422, "locale")
    assert_error(system.post(registrations, json={k: v for k, v in ANNA.items() if k != "last_name"}), 422, "last_name")
    assert_error(system.post(registrations, json=ANNA), 404, "slug")
    assert_error(system.get("/registration/api/v1/events/no-such-event-2099"), 404, "slug")
    assert_error(system.post("/registration/api/v1/self/not-a-real-token/cancel"), 404, "token")
    assert_error(system.get("/notifications/api/v1/deliveries"), 401)


# --- the slice -----------------------------------------------------------------------------


def publish_event(system: System, headers: dict) -> dict:
    created = system.post("/scheduling/api/v1/events", headers=headers, json=event_body())
    assert created.status_code == 201, created.text
    event = created.json()
    assert event["status"] == "draft" and event["title"] == TITLE
    published = system.post(f"/scheduling/api/v1/events/{event['slug']}/publish", headers=headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    return published.json()


def register(system: System, slug: str, person: dict) -> dict:
    response = system.post(f"/registration/api/v1/events/{slug}/registrations", json=person)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_freed_seat_moves_from_a_cancelled_participant_to_the_waiting_list(system: System):
    organiser = system.login(ORGANISER)
    starts, _ends = event_times()
    event = publish_event(system, organiser)
    slug = event["slug"]
    assert event["starts_at"] == starts.astimezone(dt.timezone.utc).isoformat()

    # event.published travels scheduling -> outbox -> bus -> registration.
    listing = system.wait_for(
        lambda: (r := system.get(f"/registration/api/v1/events/{slug}")).status_code == 200 and r,
        timeout=EVENT_SECONDS,
        message="registration to open the event",
    ).json()
    assert listing["seats_left"] == 1 and listing["title"] == TITLE

    anna = register(system, slug, ANNA)
    assert anna["registration"]["status"] == "confirmed" and anna["registration"]["waitlist_position"] is None
    ben = register(system, slug, BEN)
    assert ben["registration"]["status"] == "waitlisted" and ben["registration"]["waitlist_position"] == 1
    assert_error(system.post(f"/registration/api/v1/events/{slug}/registrations", json=ANNA), 409, "email")

    # A: Italian confirmation carrying a REQUEST for A alone.
    (anna_confirmed,) = system.mail.wait_for(ANNA["email"], 1, timeout=EVENT_SECONDS)
    assert_language(anna_confirmed, "it", TITLE["it"])
    assert anna["manage_url"] in text_of(anna_confirmed.message)
    uid = assert_invitation(anna_confirmed, method="REQUEST", attendee=ANNA, sequence=0, starts_at=starts)

    # B: English waiting-list mail, no invitation at all.
    (ben_waiting,) = system.mail.wait_for(BEN["email"], 1, timeout=EVENT_SECONDS)
    assert_language(ben_waiting, "en", TITLE["en"])
    assert calendar_parts(ben_waiting.message) == []
    assert not [p for p in ben_waiting.message.iter_attachments() if (p.get_filename() or "").endswith(".ics")]
    assert re.search(r"position\W+1\b", text_of(ben_waiting.message), re.IGNORECASE)
    assert ben["manage_url"] in text_of(ben_waiting.message)

    # A cancels: the seat goes to B in the same transaction.
    cancelled = system.post(f"/registration/api/v1/self/{anna['token']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
    promoted = system.get(f"/registration/api/v1/self/{ben['token']}").json()
    assert promoted["status"] == "confirmed" and promoted["waitlist_position"] is None
    assert system.get(f"/registration/api/v1/events/{slug}").json()["seats_left"] == 0

    # A: CANCEL with the same UID and a higher SEQUENCE.
    anna_cancelled = system.mail.wait_for(ANNA["email"], 2, timeout=EVENT_SECONDS)[1]
    assert_language(anna_cancelled, "it", TITLE["it"])
    assert assert_invitation(anna_cancelled, method="CANCEL", attendee=ANNA, sequence=1, starts_at=starts) == uid

    # B: now confirmed, with an English REQUEST of B's own.
    ben_confirmed = system.mail.wait_for(BEN["email"], 2, timeout=EVENT_SECONDS)[1]
    assert_language(ben_confirmed, "en", TITLE["en"])
    ben_uid = assert_invitation(ben_confirmed, method="REQUEST", attendee=BEN, sequence=0, starts_at=starts)
    assert ben_uid != uid

    # The delivery log agrees: four mails, all accepted by the SMTP server.
    def all_sent():
        deliveries = system.get("/notifications/api/v1/deliveries", headers=organiser).json()
        ours = [d for d in deliveries if d["recipient"] in (ANNA["email"], BEN["email"])]
        return len(ours) == 4 and all(d["status"] == "sent" for d in ours) and ours

    system.wait_for(all_sent, timeout=EVENT_SECONDS, message="the delivery log to show four sent mails")
    assert len(system.mail.to(ANNA["email"])) == 2 and len(system.mail.to(BEN["email"])) == 2
