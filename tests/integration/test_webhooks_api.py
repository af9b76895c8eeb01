"""The webhook API on SQLite and PostgreSQL: owners and organisers of the
organisation manage its endpoints, members with another role get 403 and
everyone else 404; bad input gets 422 naming the field; the secret shows
only on creation and rotation."""

from __future__ import annotations

import pytest

from shared.auth import Organiser, issue_token
from tests.integration.notification_helpers import ORGANISATION, Notifications

OTHER = "b2c3d4e5-0000-4000-8000-00000000000b"
BASE = f"/api/v1/organisations/{ORGANISATION}/webhooks"
GOOD = {"url": "https://crm.example.org/eventi", "event_types": ["registration.*", "event.cancelled"]}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Notifications(tmp_path, database_url=database_url)


@pytest.fixture
def client(notifications):
    return notifications.client()


def owner(notifications):
    return notifications.organiser_headers({ORGANISATION: "owner"})


def error_fields(answer) -> str:
    return str(answer.get_json())


def test_an_owner_creates_lists_changes_and_deletes_an_endpoint(notifications, client):
    created = client.post(BASE, json={**GOOD, "description": "CRM"}, headers=owner(notifications))
    assert created.status_code == 201
    endpoint = created.get_json()
    assert endpoint["secret"].startswith("whsec_") and len(endpoint["secret"]) > 40
    assert endpoint["enabled"] is True and endpoint["contact_email"] == "organiser@example.org"
    listed = client.get(BASE, headers=owner(notifications)).get_json()
    assert [e["id"] for e in listed] == [endpoint["id"]] and "secret" not in listed[0]
    one = client.get(f"{BASE}/{endpoint['id']}", headers=owner(notifications)).get_json()
    assert "secret" not in one and one["event_types"] == GOOD["event_types"]
    changed = client.patch(
        f"{BASE}/{endpoint['id']}",
        json={"event_types": ["*"], "enabled": False, "contact_language": "en"},
        headers=notifications.organiser_headers(),  # an organiser of the organisation may too
    ).get_json()
    assert changed["event_types"] == ["*"] and changed["enabled"] is False
    assert changed["disabled_reason"] == "organiser" and changed["contact_language"] == "en"
    assert client.delete(f"{BASE}/{endpoint['id']}", headers=owner(notifications)).status_code == 204
    assert client.get(f"{BASE}/{endpoint['id']}", headers=owner(notifications)).status_code == 404
    assert client.get(BASE, headers=owner(notifications)).get_json() == []


def test_other_organisations_get_404_other_roles_403_and_strangers_401(notifications, client):
    endpoint = client.post(BASE, json=GOOD, headers=owner(notifications)).get_json()
    one = f"{BASE}/{endpoint['id']}"
    stranger = notifications.organiser_headers({OTHER: "owner"})
    for method, path in [("get", BASE), ("post", BASE), ("get", one), ("patch", one), ("delete", one)]:
        body = GOOD if method != "get" else None
        assert getattr(client, method)(path, json=body, headers=stranger).status_code == 404
    for action in ("ping", "rotate-secret"):
        assert client.post(f"{one}/{action}", headers=stranger).status_code == 404
    assert client.get(f"{one}/deliveries", headers=stranger).status_code == 404
    checker = notifications.organiser_headers({ORGANISATION: "checkin"})
    assert client.get(BASE, headers=checker).status_code == 403
    assert client.post(BASE, json=GOOD, headers=checker).status_code == 403
    assert client.get(BASE).status_code == 401
    # the same id under the stranger's own organisation is not found either
    theirs = f"/api/v1/organisations/{OTHER}/webhooks/{endpoint['id']}"
    assert client.get(theirs, headers=stranger).status_code == 404
    admin = notifications.organiser_headers({}, admin=True)
    assert client.get(BASE, headers=admin).status_code == 200
    # control: the owner does see it
    assert client.get(one, headers=owner(notifications)).status_code == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({**GOOD, "url": "http://crm.example.org/eventi"}, "url"),
        ({**GOOD, "url": "https://127.0.0.1/eventi"}, "url"),
        ({**GOOD, "url": "https://10.1.2.3/eventi"}, "url"),
        ({**GOOD, "url": "https://localhost/eventi"}, "url"),
        ({**GOOD, "url": "https://[::1]/eventi"}, "url"),
        ({**GOOD, "url": "https://user:pw@crm.example.org/eventi"}, "url"),
        ({**GOOD, "url": "https://crm.example.org:99999/eventi"}, "url"),
        ({**GOOD, "url": "ftp://crm.example.org/eventi"}, "url"),
        ({**GOOD, "url": "crm.example.org"}, "url"),
        ({**GOOD, "url": "https://x.example/" + "a" * 2000}, "url"),
        ({"event_types": ["event.*"]}, "url"),
        ({**GOOD, "event_types": []}, "event_types"),
        ({**GOOD, "event_types": ["registration.exploded"]}, "event_types"),
        ({**GOOD, "event_types": ["nothing.*"]}, "event_types"),
        ({**GOOD, "event_types": "event.*"}, "event_types"),
        ({**GOOD, "event_types": [7]}, "event_types"),
        ({"url": GOOD["url"]}, "event_types"),
        ({**GOOD, "description": "two\nlines"}, "description"),
        ({**GOOD, "description": "x" * 301}, "description"),
        ({**GOOD, "contact_email": "nobody"}, "contact_email"),
        ({**GOOD, "contact_language": "de"}, "contact_language"),
    ],
)
def test_bad_input_is_refused_with_422_naming_the_field(notifications, client, body, field):
    answer = client.post(BASE, json=body, headers=owner(notifications))
    assert answer.status_code == 422, answer.get_json()
    assert field in error_fields(answer)


def test_a_change_is_checked_like_a_creation(notifications, client):
    endpoint = client.post(BASE, json=GOOD, headers=owner(notifications)).get_json()
    one = f"{BASE}/{endpoint['id']}"
    for body, field in [
        ({"url": "http://crm.example.org/"}, "url"),
        ({"event_types": ["x.y"]}, "event_types"),
        ({"enabled": "maybe"}, "enabled"),
        ({"contact_email": ""}, "contact_email"),
    ]:
        answer = client.patch(one, json=body, headers=owner(notifications))
        assert answer.status_code == 422 and field in error_fields(answer), (body, answer.get_json())
    assert client.get(f"{one}/deliveries?status=lost", headers=owner(notifications)).status_code == 422
    assert client.get(f"{one}/deliveries?limit=0", headers=owner(notifications)).status_code == 422
    long_org = "/api/v1/organisations/" + "o" * 300 + "/webhooks"
    assert client.post(long_org, json=GOOD, headers=notifications.organiser_headers({}, admin=True)).status_code == 404


def test_without_an_address_on_the_token_a_contact_email_is_required(notifications, client):
    organiser = Organiser("account-2", "", False, {ORGANISATION: "owner"})
    token = issue_token(notifications.settings.jwt_private_key_path.read_bytes(), organiser)
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.post(BASE, json=GOOD, headers=headers)
    assert refused.status_code == 422 and "contact_email" in error_fields(refused)
    accepted = client.post(BASE, json={**GOOD, "contact_email": "ops@crm.example.org"}, headers=headers)
    assert accepted.status_code == 201 and accepted.get_json()["contact_email"] == "ops@crm.example.org"


def test_http_and_loopback_receivers_are_allowed_only_with_webhooks_allow_http(notifications):
    local = {**GOOD, "url": "http://127.0.0.1:8080/eventi"}
    assert notifications.client().post(BASE, json=local, headers=owner(notifications)).status_code == 422
    allowed = notifications.client(webhooks_allow_http=True)
    assert allowed.post(BASE, json=local, headers=owner(notifications)).status_code == 201


def test_rotating_shows_a_new_secret_once(notifications, client):
    endpoint = client.post(BASE, json=GOOD, headers=owner(notifications)).get_json()
    rotated = client.post(f"{BASE}/{endpoint['id']}/rotate-secret", headers=owner(notifications)).get_json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != endpoint["secret"]
    assert "secret" not in client.get(f"{BASE}/{endpoint['id']}", headers=owner(notifications)).get_json()
