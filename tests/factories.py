"""Builders for test data and service wiring: settings, migrated databases,
session factories, and valid event payloads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.migrate import upgrade

UTC = dt.timezone.utc


def settings_for(
    service: str, tmp_path: Path, *, database_url: str | None = None, broker_url: str | None = None, **extra
):
    """Settings for one service with everything under tmp_path unless given."""
    overrides = {
        "var_dir": tmp_path,
        "database_url": database_url or f"sqlite:///{tmp_path / (service + '.db')}",
        "broker_url": broker_url or "filesystem://",
    }
    return load_settings(service, **overrides, **extra)


def migrated_factory(service: str, settings):
    """Upgrade the service's database to head and return a session factory."""
    import importlib

    upgrade(service, settings.database_url)
    models = importlib.import_module(f"services.{service}.models")
    engine = make_engine(settings.database_url)
    return make_session_factory(engine, service=service, outbox_model=models.Outbox)


def event_data(**overrides) -> dict:
    """A valid `event.published` payload."""
    starts = dt.datetime(2030, 12, 16, 8, 30, tzinfo=UTC)  # far ahead: registration stays open
    data = {
        "event_id": "7b0f3c9e-1111-4a4a-9c9c-000000000001",
        "slug": "bilancio-partecipativo-2026",
        "revision": 2,
        "status": "published",
        "type": "seminar",
        "title": {"it": "Bilancio partecipativo", "en": "Participatory budgeting"},
        "description": {"it": "Seminario", "en": None},
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=4),
        "timezone": "Europe/Rome",
        "venue": "Sala consiliare",
        "capacity": 2,
        "registration": {"opens_at": None, "closes_at": None, "approval_required": False},
        "url": "http://localhost:8000/scheduling/events/bilancio-partecipativo-2026",
    }
    data.update(overrides)
    return data


def participant(n: int = 1, **overrides) -> dict:
    data = {
        "first_name": f"Anna{n}",
        "last_name": "Bianchi",
        "email": f"anna{n}@example.org",
        "organisation": "Comune di Prova",
        "locale": "it",
    }
    data.update(overrides)
    return data
