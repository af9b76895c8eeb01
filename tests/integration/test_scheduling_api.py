"""Scheduling's HTTP API on a real (SQLite) database: organiser tokens,
authorisation per organisation, validation errors and the outbox."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services.scheduling.models import Outbox
from tests.integration.scheduling_support import SchedulingDesk

EVENT = {
    "title": {"it": "Seminario sul bilancio", "en": "Budget seminar"},
    "type": "seminar",
    "starts_at": "2026-12-14T09:30:00",
    "ends_at": "2026-12-14T13:00:00",
    "timezone": "Europe/Rome",
    "venue": "Sala consiliare",
    "capacity": 30,
}


@pytest.fixture
def desk(tmp_path):
    return SchedulingDesk(tmp_path)


def test_creating_an_event_without_a_token_is_401_with_a_json_body(desk):
    client = desk.client
    response = client.post("/api/v1/events", json=EVENT)
    assert response.status_code == 401 and response.json["code"] == 401


def test_a_wrong_password_gets_no_token(desk):
    client = desk.client
    response = client.post("/api/v1/auth/token", json={"email": "giulia@comuni.example", "password": "nope"})
    assert response.status_code == 401


def test_a_forged_token_is_401(desk):
    client = desk.client
    response = client.post("/api/v1/events", json=EVENT, headers={"Authorization": "Bearer a.b.c"})
    assert response.status_code == 401


def test_an_organiser_creates_a_draft_with_local_times_stored_in_utc(desk):
    client = desk.client
    response = client.post("/api/v1/events", json=EVENT, headers=desk.giulia)
    assert response.status_code == 201, response.json
    assert response.json["status"] == "draft"
    assert response.json["starts_at"] == "2026-12-14T08:30:00+00:00"  # 09:30 in Rome, winter time
    assert client.get(f"/api/v1/events/{response.json['slug']}").status_code == 404  # drafts are not public


def test_another_organisation_cannot_publish_or_cancel_the_event(desk):
    client = desk.client
    giulia = desk.giulia
    marco = desk.marco
    slug = client.post("/api/v1/events", json=EVENT, headers=giulia).json["slug"]
    # Another organisation's event answers as one that does not exist.
    assert client.post(f"/api/v1/events/{slug}/publish", headers=marco).status_code == 404
    assert client.post(f"/api/v1/events/{slug}/cancel", headers=marco).status_code == 404


def test_publishing_writes_event_published_to_the_outbox_once(desk):
    client, factory = desk.client, desk.factory
    giulia = desk.giulia
    slug = client.post("/api/v1/events", json=EVENT, headers=giulia).json["slug"]
    assert client.post(f"/api/v1/events/{slug}/publish", headers=giulia).status_code == 200
    assert client.post(f"/api/v1/events/{slug}/publish", headers=giulia).status_code == 409
    with factory() as session:
        rows = session.scalars(select(Outbox)).all()
    assert [row.routing_key for row in rows] == ["event.published"]
    body = json.loads(rows[0].body)
    assert body["data"]["slug"] == slug and body["data"]["capacity"] == 30 and body["producer"] == "scheduling"
    listed = client.get("/api/v1/events").json
    assert listed["total"] == 1 and listed["items"][0]["slug"] == slug


def test_invalid_fields_are_422_naming_each_field(desk):
    client = desk.client
    bad = {**EVENT, "type": "party", "timezone": "Mars/Base", "capacity": -1}
    del bad["title"]
    response = client.post("/api/v1/events", json=bad, headers=desk.giulia)
    assert response.status_code == 422
    assert {"type", "timezone", "capacity", "title"} <= set(response.json["errors"]["json"])


def test_an_end_before_the_start_is_422_naming_ends_at(desk):
    client = desk.client
    bad = {**EVENT, "ends_at": "2026-12-14T08:00:00"}
    response = client.post("/api/v1/events", json=bad, headers=desk.giulia)
    assert response.status_code == 422 and "ends_at" in response.json["errors"]["json"]


def test_malformed_json_is_400_with_a_json_body(desk):
    client = desk.client
    response = client.post(
        "/api/v1/events",
        data="{not json",
        content_type="application/json",
        headers=desk.giulia,
    )
    assert response.status_code == 400 and response.json["code"] == 400


def test_an_unknown_event_is_404_with_a_json_body(desk):
    client = desk.client
    response = client.get("/api/v1/events/no-such-event")
    assert response.status_code == 404 and response.json["errors"]["json"]["slug"]


def test_the_openapi_document_lists_the_event_endpoints(desk):
    client = desk.client
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/api/v1/events/{slug}/publish" in spec["paths"]


def test_health_and_readiness_answer(desk):
    client = desk.client
    assert client.get("/healthz").json["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"]["database"]["ok"]
