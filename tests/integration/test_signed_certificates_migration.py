"""0006_signed_certificates rebuilds `certificates` under the certificate id,
on SQLite and PostgreSQL: a certificate mailed before keeps its hours and
dates as a valid row whose id is its registration's, and going down again
leaves one row per registration, the latest."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from shared.db import normalise_url
from shared.migrate import alembic_config

REGISTRATION = "0d6c7a52-2222-4b4b-8d8d-000000000002"
EVENT = "7b0f3c9e-1111-4a4a-9c9c-000000000001"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    return request.getfixturevalue("pg_url") if request.param == "postgres" else f"sqlite:///{tmp_path / 'n.db'}"


def test_a_certificate_sent_before_survives_the_upgrade_and_the_downgrade(database_url):
    config = alembic_config("notifications", database_url)
    command.upgrade(config, "0005")
    engine = create_engine(normalise_url(database_url))
    certified = dt.datetime(2026, 12, 14, 12, 0, tzinfo=dt.timezone.utc)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO certificates (registration_id, event_id, minutes_attended, hours, certified_at,"
                    " sent_at) VALUES (:r, :e, 180, 3.0, :c, :c)"
                ),
                {"r": REGISTRATION, "e": EVENT, "c": certified},
            )
        command.upgrade(config, "0006_signed_certificates")
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT certificate_id, registration_id, status, hours, signed, pdf FROM certificates")
            ).one()
        assert tuple(row) == (REGISTRATION, REGISTRATION, "valid", 3.0, False, None)
        with engine.begin() as connection:  # a correction issued after the upgrade
            connection.execute(
                text(
                    "INSERT INTO certificates (certificate_id, registration_id, event_id, status, minutes_attended,"
                    " hours, credits, holder, event_title, timezone, issued_by, certified_at, sent_at, signed,"
                    " self_signed, signer) VALUES ('c-2', :r, :e, 'valid', 200, 3.5, '[]', 'Anna B.', '{}',"
                    " 'Europe/Rome', 'rules', :c, :later, true, false, 'Comune')"
                ),
                {"r": REGISTRATION, "e": EVENT, "c": certified, "later": certified + dt.timedelta(days=1)},
            )
        command.downgrade(config, "0005")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT registration_id, minutes_attended FROM certificates")).all()
        assert [tuple(r) for r in rows] == [(REGISTRATION, 200)]
        command.upgrade(config, "head")
    finally:
        engine.dispose()
