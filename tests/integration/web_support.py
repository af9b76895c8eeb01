"""Driving the server-rendered pages with Flask's test client like a browser
without JavaScript: read the CSRF token from the page, post the form."""

from __future__ import annotations

import re

from services.scheduling import accounts as services
from services.scheduling.app import create_app
from shared.auth import ensure_keypair
from tests.factories import migrated_factory, settings_for

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
GIULIA = {"email": "giulia@comuni.example", "password": "pw-giulia"}


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submit(client, page: str, data: dict, action: str | None = None, **kwargs):
    """GET the page, then POST `data` with its CSRF token to `action` (default: the page)."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(action or page, data={**data, "csrf_token": token}, **kwargs)


def scheduling_app(tmp_path, **config):
    """Scheduling on a migrated SQLite database with one organisation and its owner; CSRF on."""
    settings = settings_for(
        "scheduling",
        tmp_path,
        jwt_private_key_path=tmp_path / "k.pem",
        jwt_public_key_path=tmp_path / "k.pub",
        public_base_url="http://localhost",
    )
    ensure_keypair(settings.jwt_private_key_path, settings.jwt_public_key_path)
    factory = migrated_factory("scheduling", settings)
    with factory() as session, session.begin():
        comuni = services.create_organisation(session, "Associazione dei Comuni", "comuni")
        services.create_account(
            session, email=GIULIA["email"], name="Giulia", password=GIULIA["password"], memberships={comuni.id: "owner"}
        )
    return create_app({"SETTINGS": settings, "TESTING": True, "WTF_CSRF_ENABLED": True, **config})


def log_in(client, account: dict = GIULIA):
    response = submit(client, "/login", account)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response
