"""A scheduling app on a migrated database with two organisations, and small
helpers that drive the programme API like an organiser would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.scheduling import accounts as services
from services.scheduling.app import create_app
from shared.auth import ensure_keypair
from tests.factories import migrated_factory, settings_for

FEED_NOW = dt.datetime(2027, 2, 1, 12, tzinfo=dt.timezone.utc)  # feeds judge "over" against this
CONGRESS = {
    "title": {"it": "Congresso dei Comuni: città più vicine", "en": "Municipalities congress"},
    "type": "congress",
    "starts_at": "2027-03-27T09:00:00",
    "ends_at": "2027-03-28T18:00:00",
    "timezone": "Europe/Rome",
    "venue": "Palazzo comunale",
    "capacity": 300,
}


@dataclass
class System:
    client: object
    factory: object
    giulia: dict  # owner in the association of municipalities
    marco: dict  # organiser in the university

    def post(self, path, json=None, who=None, expect=201):
        response = self.client.post(path, json=json or {}, headers=self.giulia if who is None else who)
        assert response.status_code == expect, response.json
        return response.json

    def patch(self, path, json, expect=200):
        response = self.client.patch(path, json=json, headers=self.giulia)
        assert response.status_code == expect, response.json
        return response.json


def make_system(tmp_path, *, database_url: str | None = None, config: dict | None = None) -> System:
    settings = settings_for(
        "scheduling",
        tmp_path,
        database_url=database_url,
        jwt_private_key_path=tmp_path / "k.pem",
        jwt_public_key_path=tmp_path / "k.pub",
        public_base_url="https://eventi.example.org",
    )
    ensure_keypair(settings.jwt_private_key_path, settings.jwt_public_key_path)
    factory = migrated_factory("scheduling", settings)
    with factory() as session, session.begin():
        comuni = services.create_organisation(session, "Associazione dei Comuni", "comuni")
        ateneo = services.create_organisation(session, "Università", "ateneo")
        services.create_account(
            session,
            email="giulia@comuni.example",
            name="Giulia",
            password="pw-giulia",
            memberships={comuni.id: "owner"},
        )
        services.create_account(
            session,
            email="marco@ateneo.example",
            name="Marco",
            password="pw-marco",
            memberships={ateneo.id: "organiser"},
        )
    app = create_app({"SETTINGS": settings, "TESTING": True, "CLOCK": lambda: FEED_NOW, **(config or {})})
    client = app.test_client()
    return System(
        client,
        factory,
        login(client, "giulia@comuni.example", "pw-giulia"),
        login(client, "marco@ateneo.example", "pw-marco"),
    )


def login(client, email, password) -> dict:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def published_event(system: System, **overrides) -> str:
    slug = system.post("/api/v1/events", {**CONGRESS, **overrides})["slug"]
    system.post(f"/api/v1/events/{slug}/publish", expect=200)
    return slug


def session_body(title: str, start: str, end: str, **extra) -> dict:
    return {"title": {"it": title}, "starts_at": start, "ends_at": end, **extra}
