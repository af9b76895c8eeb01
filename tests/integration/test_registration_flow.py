"""Registration end to end inside one service: the event arrives as a bus
message (dispatched like the consumer does), people register through the
JSON API and the HTML form, the waiting list moves, and every transition
leaves its event in the outbox. On SQLite, and on PostgreSQL when present."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pytest

from tests.factories import participant, settings_for
from tests.integration.registration_support import EVENT_ID, REGISTER, SLUG, Desk, post_form

UTC = dt.timezone.utc
ERROR_KEYS = {"code", "status", "message", "errors"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_desk(request, tmp_path) -> Desk:
    """The registration app before any event has arrived (`desk` has one published)."""
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Desk(settings_for("registration", tmp_path, database_url=database_url))


def assert_error(response, status: int, *fields: str) -> dict:
    """A JSON error body in the shared format, naming each field, carrying no data."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.json
    assert body["code"] == status and body["message"]
    assert set(body) <= ERROR_KEYS, body
    for field in fields:
        assert body["errors"]["json"][field], body
    return body


def test_an_event_published_on_the_bus_opens_it_for_registration(desk):
    response = desk.client.get(f"/api/v1/events/{SLUG}")
    assert response.status_code == 200
    assert response.json["event_id"] == EVENT_ID
    assert response.json["capacity"] == 2 and response.json["seats_left"] == 2


def test_people_are_confirmed_until_the_event_is_full_then_waitlisted_in_order(desk):
    first, second = desk.registered(1), desk.registered(2)
    third, fourth = desk.registered(3), desk.registered(4)

    assert [r["registration"]["status"] for r in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert [r["registration"]["waitlist_position"] for r in (first, second, third, fourth)] == [None, None, 1, 2]
    assert desk.own(fourth["token"])["waitlist_position"] == 2
    assert third["manage_url"].endswith(f"/registration/r/{third['token']}")
    assert desk.client.get(f"/api/v1/events/{SLUG}").json["seats_left"] == 0
    assert [key for key, _ in desk.outbox()] == [
        "registration.confirmed",
        "registration.confirmed",
        "registration.waitlisted",
        "registration.waitlisted",
    ]
    assert desk.outbox()[3][1]["waitlist_position"] == 2


def test_the_secret_token_is_never_stored_or_echoed_in_the_registration_view(desk):
    issued = desk.registered(1)
    assert "token" not in issued["registration"]
    assert issued["token"] not in json.dumps(desk.own(issued["token"]))


def test_cancelling_by_token_gives_the_seat_to_the_first_waitlisted_person(desk):
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3, 4)]
    before = len(desk.outbox())

    response = desk.client.post(f"/api/v1/self/{tokens[0]}/cancel")

    assert response.status_code == 200 and response.json["status"] == "cancelled"
    assert desk.own(tokens[2])["status"] == "confirmed"
    assert desk.own(tokens[3])["waitlist_position"] == 1
    events = desk.outbox()[before:]
    assert [(key, data["participant"]["email"], data["previous_status"]) for key, data in events] == [
        ("registration.cancelled", "anna1@example.org", "confirmed"),
        ("registration.confirmed", "anna3@example.org", "waitlisted"),
    ]
    assert desk.listing().confirmed_count == 2


def test_cancelling_a_waitlisted_registration_moves_the_queue_without_promoting(desk):
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3, 4)]
    before = len(desk.outbox())

    assert desk.client.post(f"/api/v1/self/{tokens[2]}/cancel").status_code == 200

    assert desk.own(tokens[3])["waitlist_position"] == 1
    assert [key for key, _ in desk.outbox()[before:]] == ["registration.cancelled"]
    assert desk.listing().confirmed_count == 2


def test_cancelling_twice_is_a_409_conflict_on_status(desk):
    token = desk.registered(1)["token"]
    assert desk.client.post(f"/api/v1/self/{token}/cancel").status_code == 200
    assert_error(desk.client.post(f"/api/v1/self/{token}/cancel"), 409, "status")


def test_a_cancelled_registration_frees_the_email_for_a_new_registration(desk):
    token = desk.registered(1)["token"]
    desk.client.post(f"/api/v1/self/{token}/cancel")
    assert desk.register(1).status_code == 201


def test_a_stale_or_repeated_event_revision_is_ignored(fresh_desk):
    fresh_desk.deliver("event.published", revision=5, capacity=2)
    fresh_desk.deliver("event.updated", revision=4, capacity=50, title={"it": "Vecchio titolo"})
    fresh_desk.deliver("event.updated", revision=5, capacity=50, status="cancelled")

    listing = fresh_desk.listing()
    assert (listing.revision, listing.capacity, listing.status, listing.title_it) == (
        5,
        2,
        "published",
        "Bilancio partecipativo",
    )


def test_raising_the_capacity_through_event_updated_promotes_the_waiting_list_in_order(desk):
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3, 4, 5)]

    desk.deliver("event.updated", capacity=3)
    assert [desk.own(t)["status"] for t in tokens] == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]

    desk.deliver("event.updated", capacity=10)
    assert [desk.own(t)["status"] for t in tokens] == ["confirmed"] * 5
    assert desk.listing().confirmed_count == 5
    promoted = [
        data["participant"]["email"]
        for key, data in desk.outbox()
        if key == "registration.confirmed" and data["previous_status"] == "waitlisted"
    ]
    assert promoted == ["anna3@example.org", "anna4@example.org", "anna5@example.org"]


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/self/not-a-real-token"),
        ("post", "/api/v1/self/not-a-real-token/cancel"),
        ("get", "/api/v1/self/"),
    ],
)
def test_a_wrong_or_absent_token_is_404_with_a_json_body_and_no_data(desk, method, path):
    desk.registered(1)
    response = getattr(desk.client, method)(path)
    assert_error(response, 404)
    assert "anna1" not in response.get_data(as_text=True)


def test_a_wrong_token_on_the_personal_page_is_404(desk):
    assert desk.client.get("/r/not-a-real-token").status_code == 404


def test_malformed_json_is_a_400_with_a_json_body(desk):
    response = desk.client.post(REGISTER, data='{"first_name": "Anna",', content_type="application/json")
    assert_error(response, 400)
    assert desk.outbox() == []


def test_missing_fields_are_a_422_naming_each_field(desk):
    body = assert_error(desk.client.post(REGISTER, json={}), 422, "first_name", "last_name", "email")
    assert set(body["errors"]["json"]) == {"first_name", "last_name", "email"}


def test_invalid_fields_are_a_422_naming_each_field(desk):
    bad = {"first_name": "", "last_name": "Bianchi", "email": "not-an-email", "locale": "de"}
    body = assert_error(desk.client.post(REGISTER, json=bad), 422, "first_name", "email", "locale")
    assert set(body["errors"]["json"]) == {"first_name", "email", "locale"}
    assert desk.outbox() == []


def test_registering_twice_with_the_same_email_is_a_409_naming_email(desk):
    desk.registered(1)
    assert_error(desk.register(2, email="ANNA1@Example.org"), 409, "email")
    assert desk.listing().confirmed_count == 1


def test_a_cancelled_event_refuses_registrations_with_a_409(desk):
    desk.deliver("event.cancelled", status="cancelled")
    assert_error(desk.register(1), 409, "slug")


@pytest.mark.parametrize("window", ["closed", "not yet open"])
def test_registration_outside_its_window_is_a_409(fresh_desk, window):
    now = dt.datetime.now(UTC).replace(microsecond=0)
    bounds = {
        "closed": {"closes_at": now - dt.timedelta(days=1)},
        "not yet open": {"opens_at": now + dt.timedelta(days=1)},
    }[window]
    fresh_desk.deliver(
        "event.published", registration={"opens_at": None, "closes_at": None, "approval_required": False, **bounds}
    )
    assert_error(fresh_desk.register(1), 409, "slug")
    assert fresh_desk.outbox() == []


@pytest.mark.parametrize(
    "method,path", [("get", "/api/v1/events/nessuno"), ("post", "/api/v1/events/nessuno/registrations")]
)
def test_an_unknown_slug_is_a_404(desk, method, path):
    response = getattr(desk.client, method)(path, json=participant(1))
    assert_error(response, 404, "slug")


class Form(HTMLParser):
    """The inputs (by id) and error paragraphs (by id) of a rendered page."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs, self.errors, self._error = {}, {}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and "id" in attrs:  # (a hidden CSRF token has none)
            self.inputs[attrs["id"]] = attrs
        elif tag == "p" and "error" in (attrs.get("class") or "").split() and attrs.get("id"):
            self._error = attrs["id"]
            self.errors[self._error] = ""

    def handle_data(self, data):
        if self._error:
            self.errors[self._error] += data

    def handle_endtag(self, tag):
        if tag == "p":
            self._error = None


FORM = f"/events/{SLUG}/register"


def form_data(n: int) -> dict:
    """What a person posts: the HTML form always asks for the privacy consent."""
    return {**participant(n), "privacy_consent": "on"}


def test_the_form_shows_the_seats_left(desk):
    response = desk.client.get(FORM)
    assert response.status_code == 200
    assert set(Form(response.get_data(as_text=True)).inputs) >= {"first_name", "last_name", "email"}


def test_a_form_with_a_bad_email_is_rerendered_with_422_the_typed_values_and_the_error_on_the_field(desk):
    typed = {"first_name": "Giulia", "last_name": "Rossi <b>", "email": "giulia-at-comune", "organisation": "Comune"}

    response = post_form(desk.client, FORM, typed)

    assert response.status_code == 422
    form = Form(response.get_data(as_text=True))
    assert {name: form.inputs[name]["value"] for name in typed} == typed  # kept, and escaped back intact
    assert form.inputs["email"]["aria-invalid"] == "true"
    assert form.inputs["email"]["aria-describedby"] == "email-error"
    assert form.errors["email-error"].strip()
    assert "aria-invalid" not in form.inputs["first_name"]
    assert desk.outbox() == []


def test_a_good_form_redirects_with_303_to_the_personal_page(desk):
    response = post_form(desk.client, FORM, form_data(1))

    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/r/")
    token = location.removeprefix("/r/").split("?")[0]
    assert desk.own(token)["status"] == "confirmed"
    page = desk.client.get(location)
    assert page.status_code == 200 and "Anna1" in page.get_data(as_text=True)


def test_the_form_for_a_duplicate_email_is_rerendered_with_the_error_on_email(desk):
    desk.registered(1)
    response = post_form(desk.client, FORM, form_data(1))
    assert response.status_code == 409
    assert Form(response.get_data(as_text=True)).errors["email-error"].strip()


def test_the_form_of_a_cancelled_event_is_rerendered_with_409_and_the_reason(desk):
    desk.deliver("event.cancelled", status="cancelled")
    response = post_form(desk.client, FORM, form_data(1))
    assert response.status_code == 409
    assert "chiuse" in response.get_data(as_text=True)  # "Le iscrizioni a questo evento sono chiuse."


def test_a_form_without_the_privacy_consent_is_rerendered_with_422_and_the_error_on_the_consent_box(desk):
    response = post_form(desk.client, FORM, participant(1))

    assert response.status_code == 422
    form = Form(response.get_data(as_text=True))
    assert form.inputs["privacy_consent"]["aria-invalid"] == "true"
    assert form.errors["privacy_consent-error"].strip()
    assert desk.outbox() == []


# the participant's pages follow the language: cookie, then browser, Italian by default

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.8"}


def test_the_form_and_its_errors_are_english_for_an_english_browser(desk):
    page = desk.client.get(FORM, headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert "Register me" in page and "privacy notice" in page and "Iscrivimi" not in page

    response = post_form(desk.client, FORM, {"first_name": "", "email": "x"}, headers=ENGLISH_BROWSER)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Required, at most 100 characters." in html and "Enter a valid e-mail address" in html
    assert "Length must be between" not in html and 'aria-describedby="email-error"' in html


def test_the_form_errors_are_italian_by_default(desk):
    response = post_form(desk.client, FORM, {"first_name": "", "email": "x"})
    html = response.get_data(as_text=True)
    assert "Campo obbligatorio, al massimo 100 caratteri." in html and "Indirizzo e-mail non valido." in html
    assert "Length must be between" not in html


def test_the_personal_page_is_english_with_the_cookie(desk):
    location = post_form(desk.client, FORM, form_data(1)).headers["Location"]
    desk.client.set_cookie("lang", "en")
    page = desk.client.get(location).get_data(as_text=True)
    assert "Download your data (JSON)" in page and "Confirmed" in page and '<html lang="en">' in page
    assert "Scarica i tuoi dati" not in page
