"""Registration's migration 0002 runs on SQLite and PostgreSQL over a
database that already holds registrations from 0001, and back down."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from shared.db import normalise_url
from shared.migrate import alembic_config


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    return request.getfixturevalue("pg_url") if request.param == "postgres" else f"sqlite:///{tmp_path / 'r.db'}"


def test_existing_registrations_survive_the_upgrade_with_sensible_defaults_and_the_downgrade_works(database_url):
    config = alembic_config("registration", database_url)
    command.upgrade(config, "0001")
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO listings (id, slug, title_it, starts_at, ends_at, timezone, venue, status, capacity,"
                " confirmed_count, approval_required, revision) VALUES ('e1', 'old-event', 'Vecchio',"
                " '2030-01-01 09:00:00', '2030-01-01 13:00:00', 'Europe/Rome', '', 'published', 10, 1, false, 2)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO registrations (id, event_id, first_name, last_name, email, organisation, locale, status,"
                " token_hash, revision, queued_at, created_at, updated_at) VALUES ('r1', 'e1', 'Anna', 'Bianchi',"
                " 'anna@example.org', '', 'it', 'confirmed', 'h1', 1, '2029-01-01 09:00:00', '2029-01-01 09:00:00',"
                " '2029-01-01 09:00:00')"
            )
        )

    command.upgrade(config, "head")
    with engine.connect() as conn:
        listing = conn.execute(
            text(
                "SELECT promotion_mode, offer_hours, retention_days, consent_required,"
                " form_revision, organisation_ids FROM listings"
            )
        ).one()
        registration = conn.execute(text("SELECT role, holds_seat, answers FROM registrations")).one()
    assert tuple(listing)[:5] == ("confirm", 48, 365, False, 1)
    assert listing[5] in ([], "[]")
    assert registration[0] == "" and bool(registration[1]) is True  # a confirmed registration holds its seat
    assert registration[2] in ({}, "{}")

    command.downgrade(config, "0001")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT email FROM registrations")).scalar() == "anna@example.org"
    engine.dispose()
