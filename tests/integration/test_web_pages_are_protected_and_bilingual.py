"""The web pages' guards and languages, through Flask's test client with
CSRF on: forms without a token are refused (the JSON API is not affected),
organiser pages need the login cookie, cookies carry the right flags, and
pages speak Italian unless the browser or the switch asks for English."""

from __future__ import annotations

import re

import pytest

from shared.auth import Organiser, ensure_keypair, issue_token
from shared.web.auth import COOKIE
from tests.factories import migrated_factory, settings_for
from tests.integration.scheduling_support import GIULIA, SchedulingDesk, csrf_token, log_in, submit

EVENT = {
    "title_it": "Seminario sui bilanci",
    "type": "seminar",
    "starts_at": "2031-03-10T09:00",
    "ends_at": "2031-03-10T13:00",
    "capacity": "30",
}


def pages_desk(tmp_path) -> SchedulingDesk:
    """Scheduling with CSRF on, at an http address."""
    return SchedulingDesk(tmp_path, public_base_url="http://localhost", WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(tmp_path):
    return pages_desk(tmp_path).client


def created_event(client) -> str:
    log_in(client)
    response = submit(client, "/organiser/events/new", EVENT)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_a_form_posted_without_its_csrf_token_is_refused(client):
    log_in(client)
    response = client.post("/organiser/events/new", data=EVENT)
    assert response.status_code == 400
    assert "ricarica la pagina" in response.get_data(as_text=True)
    assert client.post("/login", data=GIULIA).status_code == 400


def test_a_csrf_token_from_another_session_is_refused(client, tmp_path):
    slug = created_event(client)
    stranger = pages_desk(tmp_path / "other").client
    foreign = csrf_token(stranger.get("/login").get_data(as_text=True))
    response = client.post(f"/organiser/events/{slug}/cancel", data={"csrf_token": foreign})
    assert response.status_code == 400


def test_the_json_api_needs_no_csrf_token(client):
    response = client.post("/api/v1/auth/token", json=GIULIA)
    assert response.status_code == 200 and response.json["access_token"]


def test_organiser_pages_send_a_visitor_to_the_login_page(client):
    response = client.get("/organiser/events/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/scheduling/login?next=")


def test_a_forged_or_expired_login_cookie_opens_nothing(client, tmp_path):
    other = tmp_path / "other-keys"
    ensure_keypair(other / "k.pem", other / "k.pub")
    forged = issue_token((other / "k.pem").read_bytes(), Organiser("x", "x@example.org", True, {}))
    client.set_cookie(COOKIE, forged)
    assert client.get("/organiser/").status_code == 302


def test_the_login_cookie_is_httponly_lax_for_the_whole_origin(client):
    cookie = log_in(client).headers.get("Set-Cookie")
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/;" in cookie and "Secure" not in cookie  # PUBLIC_BASE_URL is http here
    assert client.get("/organiser/").status_code == 200


def test_cookies_are_secure_when_the_public_address_is_https(tmp_path):
    desk = SchedulingDesk(tmp_path, public_base_url="https://eventi.example.org", WTF_CSRF_ENABLED=True)
    app, client = desk.app, desk.client
    page = client.get("/login", base_url="https://eventi.example.org")
    assert "Secure" in page.headers.get("Set-Cookie", "")  # the session cookie holding the CSRF secret
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]


def test_wrong_password_keeps_the_email_and_says_why(client):
    response = submit(client, "/login", {"email": GIULIA["email"], "password": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 401 and "E-mail o password errate." in html
    assert f'value="{GIULIA["email"]}"' in html


def test_logout_forgets_the_login(client):
    log_in(client)
    response = submit(client, "/logout", {})
    assert response.status_code == 303 and f"{COOKIE}=;" in response.headers["Set-Cookie"]
    assert client.get("/organiser/").status_code == 302


def test_invalid_input_is_shown_beside_each_field_and_kept(client):
    log_in(client)
    response = submit(client, "/organiser/events/new", {**EVENT, "ends_at": "2031-03-10T08:00", "capacity": "many"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="capacity"[^>]*aria-invalid="true" aria-describedby="capacity-hint capacity-error"', html)
    assert 'id="capacity-error">Serve un numero intero.' in html
    assert 'value="Seminario sui bilanci"' in html


def test_pages_are_italian_unless_the_browser_or_the_switch_says_english(client):
    assert "Eventi in programma" in client.get("/").get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert "Upcoming events" in english and '<html lang="en">' in english
    switched = client.get("/language/it?next=/", headers={"Accept-Language": "en"})
    assert switched.status_code == 303 and "lang=it" in switched.headers["Set-Cookie"]
    assert "Eventi in programma" in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def alert(response) -> str:
    return re.search(r'<p class="card" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S).group(1)


def test_error_pages_speak_the_language_of_the_page(client):
    unknown_event = client.get("/events/no-such-event", headers={"Accept": BROWSER})
    assert unknown_event.status_code == 404
    assert alert(unknown_event) == "Questo evento non esiste o non è più pubblicato."
    english = client.get("/events/no-such-event", headers={"Accept": BROWSER, "Accept-Language": "en"})
    assert alert(english) == "This event does not exist or is no longer published."

    mistyped = client.get("/no-such-page", headers={"Accept": BROWSER})
    assert mistyped.status_code == 404 and mistyped.mimetype == "text/html"
    assert alert(mistyped) == "La pagina che cerchi non esiste o non è più disponibile."
    english = client.get("/no-such-page", headers={"Accept": BROWSER, "Accept-Language": "en"})
    assert alert(english) == "The page you are looking for does not exist or is no longer available."


def test_api_clients_get_json_errors_whatever_they_accept(client):
    for path, accept in (("/api/v1/no-such-thing", BROWSER), ("/no-such-page", None), ("/no-such-page", "*/*")):
        response = client.get(path, headers={"Accept": accept} if accept else {})
        assert response.status_code == 404 and response.is_json and response.get_json()["code"] == 404, (path, accept)


def test_the_language_switch_never_leaves_the_site(client):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.headers["Location"] in ("/", "http://localhost/"), target


def test_the_schedule_grid_highlights_conflicts(client):
    slug = created_event(client)
    submit(client, f"/organiser/events/{slug}/rooms", {"name": "Sala A"})
    page = client.get(f"/organiser/events/{slug}/rooms").get_data(as_text=True)
    room_id = re.search(r'/rooms/([0-9a-f-]{36})"', page).group(1)
    for title, start, end in (("Apertura", "09:00", "10:00"), ("Tavola rotonda", "09:30", "10:30")):
        response = submit(
            client,
            f"/organiser/events/{slug}/schedule/sessions/new",
            {"title_it": title, "day": "2031-03-10", "start": start, "end": end, "room_id": room_id},
        )
        assert response.status_code == 303, response.get_data(as_text=True)
    grid = client.get(f"/organiser/events/{slug}/schedule").get_data(as_text=True)
    assert grid.count('class="slot conflict"') == 2
    assert "Sovrapposta a «Tavola rotonda» nella stessa sala" in grid
    preview = client.get(f"/organiser/events/{slug}/release").get_data(as_text=True)
    assert "Pubblica anche con i conflitti" in preview


@pytest.mark.parametrize(
    "service, page",
    [
        ("registration", "/organiser/events/x/registrations"),
        ("registration", "/organiser/events/x/checkin"),
        ("notifications", "/organiser/mail"),
        ("notifications", "/organiser/parked"),
    ],
)
def test_organiser_pages_of_every_service_need_the_login(tmp_path, service, page):
    import importlib

    settings = settings_for(
        service, tmp_path, jwt_private_key_path=tmp_path / "k.pem", jwt_public_key_path=tmp_path / "k.pub"
    )
    ensure_keypair(settings.jwt_private_key_path, settings.jwt_public_key_path)
    migrated_factory(service, settings)
    app = importlib.import_module(f"services.{service}.app").create_app({"SETTINGS": settings, "TESTING": True})
    response = app.test_client().get(page)
    assert response.status_code == 302 and "/scheduling/login" in response.headers["Location"]
