"""The secret link: it opens one registration and nothing else; without it,
or with a wrong one, everything is a 404 that shows no data. "Send me my
link again" answers the same for known and unknown addresses."""

from __future__ import annotations

import json

import pytest

from services.registration.links import token_hash
from services.registration.models import Registration
from tests.integration.registration_support import SLUG, email, post_form

SELF = ["get:", "patch:", "post:/cancel", "post:/accept", "get:/data", "post:/erase", "get:/qr.svg"]


def call(desk, spec: str, token: str):
    method, suffix = spec.split(":")
    kwargs = {"json": {"role": "x"}} if method == "patch" else {}
    return getattr(desk.client, method)(f"/api/v1/self/{token}{suffix}", follow_redirects=True, **kwargs)


@pytest.mark.parametrize("spec", SELF)
@pytest.mark.parametrize("token", ["", "not-a-real-token", "x" * 500, "%00", "..%2f..%2fetc"])
def test_no_token_or_a_wrong_one_is_a_404_without_data(sqlite_desk, spec, token):
    sqlite_desk.registered(1)
    response = call(sqlite_desk, spec, token)
    assert response.status_code in ((404, 405) if token == "" else (404,))  # "" merges slashes: another path
    assert "anna1" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/r/wrong", "/r/wrong/cancel", "/r/wrong/accept", "/r/wrong/erase"])
def test_a_wrong_token_on_the_pages_is_a_404(sqlite_desk, path):
    sqlite_desk.registered(1)
    response = (
        sqlite_desk.client.get(path)
        if path == "/r/wrong"
        else post_form(sqlite_desk.client, path, {}, page=f"/events/{SLUG}/register")
    )
    assert response.status_code == 404 and "anna1" not in response.get_data(as_text=True)


def test_each_link_shows_only_its_own_registration(desk):
    one, two = desk.registered(1), desk.registered(2)
    assert desk.own(one["token"])["email"] == email(1)
    assert email(1) not in json.dumps(desk.own(two["token"]))
    data = desk.client.get(f"/api/v1/self/{two['token']}/data").get_data(as_text=True)
    assert email(2) in data and email(1) not in data


def test_the_link_holds_256_random_bits_and_only_its_hash_is_stored(desk):
    token = desk.registered(1)["token"]
    assert len(token) >= 43  # token_urlsafe(32): 32 bytes
    with desk.factory() as session:
        stored = session.query(Registration).one()
        assert stored.token_hash == token_hash(token) and token not in json.dumps(
            {c.name: str(getattr(stored, c.name)) for c in Registration.__table__.columns}
        )


def test_asking_for_the_link_again_answers_the_same_whether_or_not_the_address_is_known(desk):
    desk.registered(1)
    known = desk.client.post(f"/api/v1/events/{SLUG}/link-requests", json={"email": email(1)})
    unknown = desk.client.post(f"/api/v1/events/{SLUG}/link-requests", json={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()
    (event,) = desk.events("registration.link_requested")
    assert event[1]["participant"]["email"] == email(1)
    fresh = event[1]["manage_url"].rsplit("/", 1)[1]
    assert desk.own(fresh)["email"] == email(1)


def test_a_fresh_link_leaves_the_old_one_working(desk):
    token = desk.registered(1)["token"]
    desk.client.post(f"/api/v1/events/{SLUG}/link-requests", json={"email": email(1).upper()})
    assert desk.own(token)["email"] == email(1)


def test_the_link_request_page_answers_the_same_for_any_address(sqlite_desk):
    sqlite_desk.registered(1)
    pages = [
        post_form(sqlite_desk.client, f"/events/{SLUG}/link", {"email": address}).get_data(as_text=True)
        for address in (email(1), "nobody@example.org")
    ]
    assert pages[0] == pages[1] and "nuovo link" in pages[0]


def test_the_participant_downloads_their_own_data_as_json(desk):
    token = desk.registered(1, role="Sindaca")["token"]
    response = desk.client.get(f"/api/v1/self/{token}/data")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["registration"]["email"] == email(1) and data["registration"]["role"] == "Sindaca"
    assert set(data) >= {"answers", "privacy_consent", "event", "workshops", "checkins", "attendance"}


def test_the_participant_changes_details_through_the_link(desk):
    token = desk.registered(1)["token"]
    response = desk.client.patch(f"/api/v1/self/{token}", json={"organisation": "Comune di Esempio", "locale": "en"})
    assert response.status_code == 200
    assert (response.get_json()["organisation"], response.get_json()["locale"]) == ("Comune di Esempio", "en")
    assert desk.client.patch(f"/api/v1/self/{token}", json={"locale": "de"}).status_code == 422


def test_changed_details_are_published_for_the_other_services_and_unchanged_ones_are_not(desk):
    token = desk.registered(1)["token"]
    mark = desk.mark()
    desk.client.patch(f"/api/v1/self/{token}", json={"first_name": "Anna Maria", "locale": "en"})
    desk.client.patch(f"/api/v1/self/{token}", json={"first_name": "Anna Maria", "locale": "en"})  # no change
    updates = desk.events("registration.updated", since=mark)
    assert len(updates) == 1
    data = updates[0][1]
    assert (data["participant"]["first_name"], data["participant"]["locale"]) == ("Anna Maria", "en")
    assert data["status"] == "confirmed" and data["previous_status"] is None and data["revision"] == 2
    assert data["manage_url"] is None  # the secret link is not repeated


def test_a_cancelled_registration_cannot_be_changed(desk):
    token = desk.registered(1)["token"]
    desk.client.post(f"/api/v1/self/{token}/cancel")
    assert desk.client.patch(f"/api/v1/self/{token}", json={"role": "x"}).status_code == 409


def test_the_page_behind_the_link_shows_the_qr_code_of_a_confirmed_registration(desk):
    token = desk.registered(1)["token"]
    page = desk.client.get(f"/r/{token}").get_data(as_text=True)
    assert "<svg" in page and "Scarica i tuoi dati" in page
    svg = desk.client.get(f"/api/v1/self/{token}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
