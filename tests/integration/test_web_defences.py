"""The web's defences, through each service's app: the response headers
(CSP without inline script, nosniff, no framing, a referrer that stays on the
site, HSTS over https, no caching of secret-link pages), the text no field
accepts (NUL, lone surrogates, control characters, very deep JSON: 422 naming
the field, nothing stored), the redirects that never leave the site, 405 with
Allow, and a 500 that never writes a secret link to the log."""

from __future__ import annotations

import json
import logging
import re

import pytest

from tests.factories import participant
from tests.integration.registration_support import REGISTER
from tests.integration.scheduling_support import SchedulingDesk

EVIL_NEXT = (
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ /evil.example",
    "/\x0b/evil.example",
)


@pytest.fixture
def scheduling(tmp_path):
    return SchedulingDesk(tmp_path)


# --- headers ---------------------------------------------------------------------------


def test_pages_send_a_policy_without_inline_script_and_refuse_framing(scheduling):
    page = scheduling.client.get("/", headers={"Accept": "text/html"})
    policy = dict(part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and "unsafe-inline" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_api_answers_are_not_sniffed_and_keep_the_referrer_on_the_site(scheduling):
    answer = scheduling.client.get("/api/v1/events")
    assert answer.status_code == 200
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_only_when_the_public_address_is_https(tmp_path):
    secure = SchedulingDesk(tmp_path / "https", public_base_url="https://eventi.example.org")
    plain = SchedulingDesk(tmp_path / "http", public_base_url="http://localhost:8000")
    assert secure.client.get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in plain.client.get("/").headers


def test_the_personal_page_and_the_self_service_api_are_never_cached(desk):
    token = desk.registered(1)["token"]
    for path in (f"/r/{token}", f"/api/v1/self/{token}"):
        response = desk.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
    public_form = desk.client.get(f"/events/{desk.event['slug']}")
    assert public_form.headers.get("Cache-Control") != "private, no-store"  # control: only secret pages


# --- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_the_login_and_the_language_switch_never_send_anyone_off_the_site(scheduling, target):
    for path in ("/login", "/language/en"):
        response = scheduling.client.get(path, query_string={"next": target})
        assert response.status_code in (200, 303, 422), (path, target, response.status_code)
        location = response.headers.get("Location", "/")
        assert location.startswith("/") and not location.startswith("//"), (path, target, location)
        assert all(char > " " for char in location), (path, target, location)


def test_a_path_on_the_site_is_still_followed_after_the_language_switch(scheduling):
    response = scheduling.client.get("/language/en", query_string={"next": "/scheduling/events/x?y=1"})
    assert response.headers["Location"] == "/scheduling/events/x?y=1"


def test_a_method_not_allowed_says_which_are(scheduling):
    for method in ("TRACE", "PUT"):
        response = scheduling.client.open("/api/v1/events", method=method)
        assert response.status_code == 405, method
        assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}, method


# --- text no field accepts ---------------------------------------------------------------

REFUSED_TEXT = {
    "NUL": "Anna\x00",
    "lone surrogate": "Anna\ud800",
    "escape character": "Anna\x1b[31m",
    "vertical tab": "An\x0bna",
}


@pytest.mark.parametrize("name", REFUSED_TEXT)
def test_refused_characters_in_a_registration_are_422_naming_the_field_and_store_nothing(desk, name):
    body = participant(1, first_name=REFUSED_TEXT[name])
    response = desk.client.post(REGISTER, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "first_name" in response.get_json()["errors"]["json"]
    assert desk.statuses() == {}
    assert desk.register(1).status_code == 201  # control: the same person without it is taken


def test_refused_characters_deep_in_answers_name_their_path(desk):
    body = participant(1, answers={"note": ["fine", "bad\x00"]})
    response = desk.client.post(REGISTER, json=body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == ["answers.note.1"]


def test_json_nested_thousands_deep_is_422_not_500(desk, scheduling):
    deep = "[" * 5000 + "]" * 5000
    for client, path in ((desk.client, REGISTER), (scheduling.client, "/api/v1/auth/token")):
        response = client.post(path, data=deep, content_type="application/json")
        assert response.status_code == 422, path
        assert response.get_json()["errors"]["json"] == {"_schema": ["JSON nested deeper than 32 levels"]}
    shallow = {"a": {"b": {"c": "d"}}}  # control: ordinary nesting reaches the view
    assert scheduling.client.post("/api/v1/auth/token", json=shallow).status_code == 422
    assert "_schema" not in scheduling.client.post("/api/v1/auth/token", json=shallow).get_json()["errors"]["json"]


def test_refused_characters_in_a_query_or_a_path_never_reach_the_database(desk):
    listed = desk.client.get("/api/v1/organiser/events/x/registrations?q=%00", headers=desk.headers())
    assert listed.status_code == 422 and "q" in listed.get_json()["errors"]["query"]
    assert desk.client.get("/r/%00abc").status_code == 404
    assert desk.client.get("/api/v1/self/abc%00def").status_code == 404


# --- errors that are logged ----------------------------------------------------------------


def test_an_unexpected_error_under_a_secret_link_never_logs_the_secret(tmp_path, caplog):
    from tests.factories import settings_for
    from tests.integration.registration_support import Desk

    desk = Desk(settings_for("registration", tmp_path))
    secret = "S3cretToken-abcdefghijklmnop"

    def broken(token):
        raise RuntimeError("boom")

    desk.app.add_url_rule("/api/v1/self/<token>/broken", view_func=broken)
    desk.app.add_url_rule("/r/<token>/broken", view_func=broken)
    with caplog.at_level(logging.ERROR):
        for path in (f"/api/v1/self/{secret}/broken", f"/r/{secret}/broken"):
            response = desk.client.get(path, headers={"Accept": "text/html"} if path.startswith("/r/") else {})
            assert response.status_code == 500, path
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "unhandled error" in logged  # control: the error was logged
    assert secret not in logged and "***" in logged


def test_the_api_docs_load_swagger_ui_from_the_service_itself(scheduling):
    page = scheduling.client.get("/api/v1/docs").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    assert "<script>" not in page  # nothing inline: the policy would block it
    for source in sources:
        assert scheduling.client.get(source).status_code == 200, source


def test_an_oversized_body_is_a_documented_413_with_the_error_body(scheduling):
    document = scheduling.client.get("/api/v1/openapi.json").get_json()
    with_body = [
        (path, method)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert with_body and all("413" in document["paths"][p][m]["responses"] for p, m in with_body)
    huge = scheduling.client.post(
        "/api/v1/auth/token", data=b'{"email": "' + b"a" * (1024 * 1024) + b'"}', content_type="application/json"
    )
    assert huge.status_code == 413 and huge.get_json()["code"] == 413
