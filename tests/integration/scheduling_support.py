"""A scheduling service to drive in tests: the app on a migrated database
(SQLite or PostgreSQL) with two organisations and their organisers, driven
like an organiser would: with bearer tokens through the JSON API, or through
the pages like a browser without JavaScript (read the CSRF token from the
page, post the form)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property

from services.scheduling import accounts
from services.scheduling.app import create_app
from shared.auth import ensure_keypair
from tests.factories import migrated_factory, settings_for

FEED_NOW = dt.datetime(2027, 2, 1, 12, tzinfo=dt.timezone.utc)  # feeds judge "over" against this
GIULIA = {"email": "giulia@comuni.example", "password": "pw-giulia"}  # owner in the association of municipalities
MARCO = {"email": "marco@ateneo.example", "password": "pw-marco"}  # organiser in the university
CONGRESS = {
    "title": {"it": "Congresso dei Comuni: città più vicine", "en": "Municipalities congress"},
    "type": "congress",
    "starts_at": "2027-03-27T09:00:00",
    "ends_at": "2027-03-28T18:00:00",
    "timezone": "Europe/Rome",
    "venue": "Palazzo comunale",
    "capacity": 300,
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class SchedulingDesk:
    """The scheduling app on a migrated database: the association of
    municipalities (owner Giulia) and the university (organiser Marco).
    `flask_config` reaches create_app (e.g. WTF_CSRF_ENABLED=True for the pages)."""

    def __init__(
        self,
        tmp_path,
        *,
        database_url: str | None = None,
        public_base_url: str = "https://eventi.example.org",
        **flask_config,
    ):
        self.settings = settings_for(
            "scheduling",
            tmp_path,
            database_url=database_url,
            jwt_private_key_path=tmp_path / "k.pem",
            jwt_public_key_path=tmp_path / "k.pub",
            public_base_url=public_base_url,
        )
        ensure_keypair(self.settings.jwt_private_key_path, self.settings.jwt_public_key_path)
        self.factory = migrated_factory("scheduling", self.settings)
        with self.factory() as session, session.begin():
            comuni = accounts.create_organisation(session, "Associazione dei Comuni", "comuni")
            ateneo = accounts.create_organisation(session, "Università", "ateneo")
            for account, name, organisation, role in (
                (GIULIA, "Giulia", comuni, "owner"),
                (MARCO, "Marco", ateneo, "organiser"),
            ):
                accounts.create_account(
                    session,
                    email=account["email"],
                    name=name,
                    password=account["password"],
                    memberships={organisation.id: role},
                )
        self.app = create_app({"SETTINGS": self.settings, "TESTING": True, "CLOCK": lambda: FEED_NOW, **flask_config})
        self.client = self.app.test_client()

    @cached_property
    def giulia(self) -> dict:
        """Giulia's bearer token as request headers."""
        return login(self.client, **GIULIA)

    @cached_property
    def marco(self) -> dict:
        return login(self.client, **MARCO)

    def post(self, path, json=None, who=None, expect=201):
        response = self.client.post(path, json=json or {}, headers=self.giulia if who is None else who)
        assert response.status_code == expect, response.json
        return response.json

    def patch(self, path, json, expect=200):
        response = self.client.patch(path, json=json, headers=self.giulia)
        assert response.status_code == expect, response.json
        return response.json

    def published_event(self, **overrides) -> str:
        """Giulia's congress (with `overrides`), published; its slug."""
        slug = self.post("/api/v1/events", {**CONGRESS, **overrides})["slug"]
        self.post(f"/api/v1/events/{slug}/publish", expect=200)
        return slug


def login(client, email, password) -> dict:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def session_body(title: str, start: str, end: str, **extra) -> dict:
    return {"title": {"it": title}, "starts_at": start, "ends_at": end, **extra}


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submit(client, page: str, data: dict, action: str | None = None, **kwargs):
    """GET the page, then POST `data` with its CSRF token to `action` (default: the page)."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(action or page, data={**data, "csrf_token": token}, **kwargs)


def log_in(client, account: dict = GIULIA):
    """Through the login page: the client keeps the login cookie."""
    response = submit(client, "/login", account)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response
