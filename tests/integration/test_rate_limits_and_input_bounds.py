"""Public endpoints are rate-limited per client (flask-limiter), with a JSON
429 and Retry-After; over-long input is refused with a 4xx naming the field."""

from __future__ import annotations

import uuid

import pytest

from services.registration.app import create_app
from tests import servers
from tests.factories import participant, settings_for
from tests.integration.registration_support import REGISTER, SLUG, Desk, post_form


@pytest.fixture
def limited(tmp_path):
    def make(**config):
        desk = Desk(
            settings_for("registration", tmp_path),
            RATELIMIT_ENABLED=True,
            REGISTRATION_RATE_LIMIT="3 per minute",
            LINK_RATE_LIMIT="2 per minute",
            SELF_RATE_LIMIT="4 per minute",
            **config,
        )
        desk.deliver("event.published", capacity=100)
        return desk

    return make


def test_registering_is_refused_with_a_json_429_after_the_limit(limited):
    desk = limited()
    codes = [desk.register(n).status_code for n in range(1, 6)]
    assert codes == [201, 201, 201, 429, 429]
    refused = desk.register(9)
    assert refused.is_json and refused.get_json()["code"] == 429 and refused.headers["Retry-After"]
    assert desk.client.get(f"/api/v1/events/{SLUG}").status_code == 200  # reading stays free


def test_the_html_form_shares_the_registration_limit(limited):
    desk = limited()
    codes = [
        post_form(desk.client, f"/events/{SLUG}/register", {**participant(n), "privacy_consent": "on"}).status_code
        for n in range(1, 5)
    ]
    assert codes == [303, 303, 303, 429]


def test_link_requests_have_their_own_stricter_limit(limited):
    desk = limited()
    codes = [
        desk.client.post(f"/api/v1/events/{SLUG}/link-requests", json={"email": "a@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [202, 202, 429]


def test_guessing_secret_links_is_limited_too(limited):
    desk = limited()
    codes = [desk.client.get(f"/api/v1/self/guess-{n}").status_code for n in range(5)]
    assert codes == [404, 404, 404, 404, 429]


def test_the_change_page_behind_a_secret_link_is_limited_too(limited):
    desk = limited()
    codes = [desk.client.get(f"/r/guess-{n}/change").status_code for n in range(5)]
    assert codes == [404, 404, 404, 404, 429]


def test_behind_a_trusted_proxy_each_client_address_has_its_own_count(limited):
    desk = limited(TRUSTED_PROXIES="1")

    def from_client(address, n):
        return desk.client.post(REGISTER, json=participant(n), headers={"X-Forwarded-For": address}).status_code

    assert [from_client("203.0.113.1", n) for n in range(1, 5)] == [201, 201, 201, 429]
    assert from_client("203.0.113.2", 5) == 201


def test_the_limit_counts_can_live_in_redis_shared_by_every_worker(limited):
    shared = {"RATELIMIT_STORAGE_URI": servers.require_redis(), "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    first = limited(**shared)
    assert [first.register(n).status_code for n in range(1, 4)] == [201, 201, 201]
    another_worker = create_app(
        {
            "SETTINGS": first.settings,
            "TESTING": True,
            "RATELIMIT_ENABLED": True,
            "REGISTRATION_RATE_LIMIT": "3 per minute",
            **shared,
        }
    ).test_client()
    assert another_worker.post(REGISTER, json=participant(9)).status_code == 429


@pytest.mark.parametrize(
    "field, value",
    [
        ("first_name", "A" * 101),
        ("last_name", "B" * 101),
        ("email", "a" * 320 + "@example.org"),
        ("organisation", "C" * 201),
        ("role", "R" * 101),
        ("category", "c" * 41),
    ],
)
def test_over_long_input_is_a_422_naming_the_field(sqlite_desk, field, value):
    response = sqlite_desk.register(1, **{field: value})
    assert response.status_code == 422 and field in response.get_json()["errors"]["json"]


def test_too_many_answers_or_workshops_are_a_422(sqlite_desk):
    answers = {f"k{n}": "x" for n in range(101)}
    assert "answers" in sqlite_desk.register(1, answers=answers).get_json()["errors"]["json"]
    assert "workshops" in sqlite_desk.register(1, workshops=list(range(31))).get_json()["errors"]["json"]


def test_an_oversized_body_is_a_413_with_a_json_body(sqlite_desk):
    response = sqlite_desk.client.post(REGISTER, json={**participant(1), "role": "x" * 200_000})
    assert response.status_code == 413 and response.is_json


def test_a_long_answer_is_cut_at_the_fields_limit(sqlite_desk):
    notes = {"key": "notes", "kind": "text", "label": {"it": "Note"}}
    sqlite_desk.as_organiser("put", "/form", json={"fields": [notes]})
    response = sqlite_desk.register(1, answers={"notes": "n" * 1001})
    assert response.status_code == 422 and "1000" in response.get_json()["errors"]["json"]["answers.notes"][0]


@pytest.mark.parametrize("storage", ["eventi-memory://", "memory://-library"])
def test_counting_hits_in_memory_does_not_start_a_thread_per_request(storage, monkeypatch):
    """The default storage sweeps expired counts at most once a second; the
    library's own memory storage (the control) restarts its sweeper thread
    whenever it finds it finished, which a burst of requests spaced a little
    over 10 ms apart does nearly every time."""
    import threading
    import time

    from limits import parse, strategies
    from limits import storage as limit_storages

    from shared.web.ratelimit import SweptMemoryStorage

    store = SweptMemoryStorage() if storage == "eventi-memory://" else limit_storages.MemoryStorage()
    assert isinstance(limit_storages.storage_from_string(storage.removesuffix("-library")), type(store))
    limiter, limit = strategies.FixedWindowRateLimiter(store), parse("1000 per minute")
    started = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda thread: (started.append(thread), real_start(thread)))
    for n in range(20):
        assert limiter.hit(limit, "client", str(n % 3))
        time.sleep(0.015)
    assert limiter.hit(limit, "client", "0") and limiter.get_window_stats(limit, "client", "0").remaining < 1000
    if storage == "eventi-memory://":
        assert len(started) <= 1
    else:
        assert len(started) >= 10
