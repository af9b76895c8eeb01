"""Each service's migrations, run from empty to head, build exactly the
schema its models describe (Alembic's own comparison finds nothing to add,
drop or change), on SQLite and on PostgreSQL; and head goes down one step
and up again."""

from __future__ import annotations

import importlib

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from shared.db import normalise_url
from shared.migrate import alembic_config

SERVICES = ["scheduling", "registration", "notifications"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    return request.getfixturevalue("pg_url") if request.param == "postgres" else f"sqlite:///{tmp_path / 'm.db'}"


def metadata_of(service: str):
    return importlib.import_module(f"services.{service}.models").Base.metadata


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_build_the_schema_of_the_models(service, database_url):
    config = alembic_config(service, database_url)
    command.upgrade(config, "head")
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata_of(service)) == []
        previous = ScriptDirectory.from_config(config).get_current_head()
        command.downgrade(config, "-1")
        command.upgrade(config, "head")
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == previous
    finally:
        engine.dispose()
