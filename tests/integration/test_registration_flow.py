"""Registration end to end inside one service: the event arrives as a bus
message (dispatched like the consumer does), people register through the
JSON API and the HTML form, the waiting list moves, and every transition
leaves its event in the outbox. On SQLite, and on PostgreSQL when present."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from services.registration.app import create_app
from services.registration.config import load_config
from services.registration.models import Inbox, Listing, Outbox
from services.registration.worker.handlers import handlers_for
from shared.envelope import build_envelope
from shared.messaging.dispatch import Verdict, dispatch
from tests.factories import event_data, migrated_factory, participant, settings_for
from tests.integration.registration_support import post_form

UTC = dt.timezone.utc
SLUG = event_data()["slug"]
EVENT_ID = event_data()["event_id"]
REGISTER = f"/api/v1/events/{SLUG}/registrations"
ERROR_KEYS = {"code", "status", "message", "errors"}


class System:
    """The registration app on a migrated database, fed like its consumer."""

    def __init__(self, settings):
        self.factory = migrated_factory("registration", settings)
        self.client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
        self.revision = 1
        self.handlers = handlers_for(load_config(settings))

    def deliver(self, event_type="event.published", **overrides):
        """Dispatch one event.* envelope through the inbox, as the consumer does.
        Without an explicit revision each delivery is the next one."""
        if "revision" not in overrides:
            self.revision += 1
            overrides["revision"] = self.revision
        body = build_envelope(event_type, upcoming_event(**overrides), producer="scheduling")
        outcome = dispatch(
            body, consumer="registration", handlers=self.handlers, session_factory=self.factory, inbox_model=Inbox
        )
        assert outcome.verdict is Verdict.APPLIED, outcome
        return outcome

    def register(self, n: int, **overrides):
        return self.client.post(REGISTER, json=participant(n, **overrides))

    def registered(self, n: int) -> dict:
        response = self.register(n)
        assert response.status_code == 201, response.json
        return response.json

    def own(self, token: str) -> dict:
        response = self.client.get(f"/api/v1/self/{token}")
        assert response.status_code == 200, response.json
        return response.json

    def listing(self) -> Listing:
        with self.factory() as session:
            return session.get(Listing, EVENT_ID)

    def outbox(self) -> list[tuple[str, dict]]:
        with self.factory() as session:
            return [
                (row.routing_key, json.loads(row.body)["data"])
                for row in session.scalars(select(Outbox).order_by(Outbox.id))
            ]


def upcoming_event(**overrides) -> dict:
    """The factory's event (capacity 2), a month after today so it stays open."""
    starts = dt.datetime.now(UTC).replace(microsecond=0) + dt.timedelta(days=30)
    values = {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=4)}
    return event_data(**{**values, **overrides})


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def system(request, tmp_path) -> System:
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return System(settings_for("registration", tmp_path, database_url=database_url))


@pytest.fixture
def published(system) -> System:
    system.deliver("event.published")
    return system


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


def test_an_event_published_on_the_bus_opens_it_for_registration(published):
    response = published.client.get(f"/api/v1/events/{SLUG}")
    assert response.status_code == 200
    assert response.json["event_id"] == EVENT_ID
    assert response.json["capacity"] == 2 and response.json["seats_left"] == 2


def test_people_are_confirmed_until_the_event_is_full_then_waitlisted_in_order(published):
    first, second = published.registered(1), published.registered(2)
    third, fourth = published.registered(3), published.registered(4)

    assert [r["registration"]["status"] for r in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert [r["registration"]["waitlist_position"] for r in (first, second, third, fourth)] == [None, None, 1, 2]
    assert published.own(fourth["token"])["waitlist_position"] == 2
    assert third["manage_url"].endswith(f"/registration/r/{third['token']}")
    assert published.client.get(f"/api/v1/events/{SLUG}").json["seats_left"] == 0
    assert [key for key, _ in published.outbox()] == [
        "registration.confirmed",
        "registration.confirmed",
        "registration.waitlisted",
        "registration.waitlisted",
    ]
    assert published.outbox()[3][1]["waitlist_position"] == 2


def test_the_secret_token_is_never_stored_or_echoed_in_the_registration_view(published):
    issued = published.registered(1)
    assert "token" not in issued["registration"]
    assert issued["token"] not in json.dumps(published.own(issued["token"]))


def test_cancelling_by_token_gives_the_seat_to_the_first_waitlisted_person(published):
    tokens = [published.registered(n)["token"] for n in (1, 2, 3, 4)]
    before = len(published.outbox())

    response = published.client.post(f"/api/v1/self/{tokens[0]}/cancel")

    assert response.status_code == 200 and response.json["status"] == "cancelled"
    assert published.own(tokens[2])["status"] == "confirmed"
    assert published.own(tokens[3])["waitlist_position"] == 1
    events = published.outbox()[before:]
    assert [(key, data["participant"]["email"], data["previous_status"]) for key, data in events] == [
        ("registration.cancelled", "anna1@example.org", "confirmed"),
        ("registration.confirmed", "anna3@example.org", "waitlisted"),
    ]
    assert published.listing().confirmed_count == 2


def test_cancelling_a_waitlisted_registration_moves_the_queue_without_promoting(published):
    tokens = [published.registered(n)["token"] for n in (1, 2, 3, 4)]
    before = len(published.outbox())

    assert published.client.post(f"/api/v1/self/{tokens[2]}/cancel").status_code == 200

    assert published.own(tokens[3])["waitlist_position"] == 1
    assert [key for key, _ in published.outbox()[before:]] == ["registration.cancelled"]
    assert published.listing().confirmed_count == 2


def test_cancelling_twice_is_a_409_conflict_on_status(published):
    token = published.registered(1)["token"]
    assert published.client.post(f"/api/v1/self/{token}/cancel").status_code == 200
    assert_error(published.client.post(f"/api/v1/self/{token}/cancel"), 409, "status")


def test_a_cancelled_registration_frees_the_email_for_a_new_registration(published):
    token = published.registered(1)["token"]
    published.client.post(f"/api/v1/self/{token}/cancel")
    assert published.register(1).status_code == 201


def test_a_stale_or_repeated_event_revision_is_ignored(system):
    system.deliver("event.published", revision=5, capacity=2)
    system.deliver("event.updated", revision=4, capacity=50, title={"it": "Vecchio titolo"})
    system.deliver("event.updated", revision=5, capacity=50, status="cancelled")

    listing = system.listing()
    assert (listing.revision, listing.capacity, listing.status, listing.title_it) == (
        5,
        2,
        "published",
        "Bilancio partecipativo",
    )


def test_raising_the_capacity_through_event_updated_promotes_the_waiting_list_in_order(published):
    tokens = [published.registered(n)["token"] for n in (1, 2, 3, 4, 5)]

    published.deliver("event.updated", capacity=3)
    assert [published.own(t)["status"] for t in tokens] == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]

    published.deliver("event.updated", capacity=10)
    assert [published.own(t)["status"] for t in tokens] == ["confirmed"] * 5
    assert published.listing().confirmed_count == 5
    promoted = [
        data["participant"]["email"]
        for key, data in published.outbox()
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
def test_a_wrong_or_absent_token_is_404_with_a_json_body_and_no_data(published, method, path):
    published.registered(1)
    response = getattr(published.client, method)(path)
    assert_error(response, 404)
    assert "anna1" not in response.get_data(as_text=True)


def test_a_wrong_token_on_the_personal_page_is_404(published):
    assert published.client.get("/r/not-a-real-token").status_code == 404


def test_malformed_json_is_a_400_with_a_json_body(published):
    response = published.client.post(REGISTER, data='{"first_name": "Anna",', content_type="application/json")
    assert_error(response, 400)
    assert published.outbox() == []


def test_missing_fields_are_a_422_naming_each_field(published):
    body = assert_error(published.client.post(REGISTER, json={}), 422, "first_name", "last_name", "email")
    assert set(body["errors"]["json"]) == {"first_name", "last_name", "email"}


def test_invalid_fields_are_a_422_naming_each_field(published):
    bad = {"first_name": "", "last_name": "Bianchi", "email": "not-an-email", "locale": "de"}
    body = assert_error(published.client.post(REGISTER, json=bad), 422, "first_name", "email", "locale")
    assert set(body["errors"]["json"]) == {"first_name", "email", "locale"}
    assert published.outbox() == []


def test_registering_twice_with_the_same_email_is_a_409_naming_email(published):
    published.registered(1)
    assert_error(published.register(2, email="ANNA1@Example.org"), 409, "email")
    assert published.listing().confirmed_count == 1


def test_a_cancelled_event_refuses_registrations_with_a_409(published):
    published.deliver("event.cancelled", status="cancelled")
    assert_error(published.register(1), 409, "slug")


@pytest.mark.parametrize("window", ["closed", "not yet open"])
def test_registration_outside_its_window_is_a_409(system, window):
    now = dt.datetime.now(UTC).replace(microsecond=0)
    bounds = {
        "closed": {"closes_at": now - dt.timedelta(days=1)},
        "not yet open": {"opens_at": now + dt.timedelta(days=1)},
    }[window]
    system.deliver(
        "event.published", registration={"opens_at": None, "closes_at": None, "approval_required": False, **bounds}
    )
    assert_error(system.register(1), 409, "slug")
    assert system.outbox() == []


@pytest.mark.parametrize(
    "method,path", [("get", "/api/v1/events/nessuno"), ("post", "/api/v1/events/nessuno/registrations")]
)
def test_an_unknown_slug_is_a_404(published, method, path):
    response = getattr(published.client, method)(path, json=participant(1))
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


def test_the_form_shows_the_seats_left(published):
    response = published.client.get(FORM)
    assert response.status_code == 200
    assert set(Form(response.get_data(as_text=True)).inputs) >= {"first_name", "last_name", "email"}


def test_a_form_with_a_bad_email_is_rerendered_with_422_the_typed_values_and_the_error_on_the_field(published):
    typed = {"first_name": "Giulia", "last_name": "Rossi <b>", "email": "giulia-at-comune", "organisation": "Comune"}

    response = post_form(published.client, FORM, typed)

    assert response.status_code == 422
    form = Form(response.get_data(as_text=True))
    assert {name: form.inputs[name]["value"] for name in typed} == typed  # kept, and escaped back intact
    assert form.inputs["email"]["aria-invalid"] == "true"
    assert form.inputs["email"]["aria-describedby"] == "email-error"
    assert form.errors["email-error"].strip()
    assert "aria-invalid" not in form.inputs["first_name"]
    assert published.outbox() == []


def test_a_good_form_redirects_with_303_to_the_personal_page(published):
    response = post_form(published.client, FORM, form_data(1))

    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/r/")
    token = location.removeprefix("/r/").split("?")[0]
    assert published.own(token)["status"] == "confirmed"
    page = published.client.get(location)
    assert page.status_code == 200 and "Anna1" in page.get_data(as_text=True)


def test_the_form_for_a_duplicate_email_is_rerendered_with_the_error_on_email(published):
    published.registered(1)
    response = post_form(published.client, FORM, form_data(1))
    assert response.status_code == 409
    assert Form(response.get_data(as_text=True)).errors["email-error"].strip()


def test_the_form_of_a_cancelled_event_is_rerendered_with_409_and_the_reason(published):
    published.deliver("event.cancelled", status="cancelled")
    response = post_form(published.client, FORM, form_data(1))
    assert response.status_code == 409
    assert "chiuse" in response.get_data(as_text=True)  # "Le iscrizioni a questo evento sono chiuse."


def test_a_form_without_the_privacy_consent_is_rerendered_with_422_and_the_error_on_the_consent_box(published):
    response = post_form(published.client, FORM, participant(1))

    assert response.status_code == 422
    form = Form(response.get_data(as_text=True))
    assert form.inputs["privacy_consent"]["aria-invalid"] == "true"
    assert form.errors["privacy_consent-error"].strip()
    assert published.outbox() == []


# the participant's pages follow the language: cookie, then browser, Italian by default

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.8"}


def test_the_form_and_its_errors_are_english_for_an_english_browser(published):
    page = published.client.get(FORM, headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert "Register me" in page and "privacy notice" in page and "Iscrivimi" not in page

    response = post_form(published.client, FORM, {"first_name": "", "email": "x"}, headers=ENGLISH_BROWSER)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Required, at most 100 characters." in html and "Enter a valid e-mail address" in html
    assert "Length must be between" not in html and 'aria-describedby="email-error"' in html


def test_the_form_errors_are_italian_by_default(published):
    response = post_form(published.client, FORM, {"first_name": "", "email": "x"})
    html = response.get_data(as_text=True)
    assert "Campo obbligatorio, al massimo 100 caratteri." in html and "Indirizzo e-mail non valido." in html
    assert "Length must be between" not in html


def test_the_personal_page_is_english_with_the_cookie(published):
    location = post_form(published.client, FORM, form_data(1)).headers["Location"]
    published.client.set_cookie("lang", "en")
    page = published.client.get(location).get_data(as_text=True)
    assert "Download your data (JSON)" in page and "Confirmed" in page and '<html lang="en">' in page
    assert "Scarica i tuoi dati" not in page
