"""Each service's migrations, run from empty to head, build exactly the
schema its models describe (Alembic's own comparison finds nothing to add,
drop or change), on SQLite and on PostgreSQL; and head goes down one step
and up again. An index a model declares for one database only
(`Index(...).ddl_if(dialect=...)`, the trigram index of the registrations'
search) is compared on that database and must be absent from the other."""

from __future__ import annotations

import importlib

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from shared.db import normalise_url
from shared.migrate import alembic_config

SERVICES = ["scheduling", "registration", "notifications"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    return request.getfixturevalue("pg_url") if request.param == "postgres" else f"sqlite:///{tmp_path / 'm.db'}"


def metadata_of(service: str):
    return importlib.import_module(f"services.{service}.models").Base.metadata


def other_databases_indexes(metadata, dialect: str) -> dict[str, list[str]]:
    """The indexes the models declare for a database other than `dialect`, by table."""
    found: dict[str, list[str]] = {}
    for table in metadata.tables.values():
        for index in table.indexes:
            only_on = getattr(index, "_ddl_if", None)  # what Index.ddl_if() records
            if only_on is not None and only_on.dialect not in (None, dialect):
                found.setdefault(table.name, []).append(index.name)
    return found


def index_names(connection, table: str) -> set[str]:
    """All of them: SQLite's reflection leaves out the indexes on expressions."""
    if connection.dialect.name == "sqlite":
        found = connection.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"), {"table": table}
        )
        return set(found.scalars())
    return {i["name"] for i in inspect(connection).get_indexes(table)}


def on_this_database(dialect: str):
    def include(obj, name, type_, reflected, compare_to):
        only_on = getattr(obj, "_ddl_if", None)
        return only_on is None or only_on.dialect in (None, dialect)

    return include


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_build_the_schema_of_the_models(service, database_url):
    config = alembic_config(service, database_url)
    command.upgrade(config, "head")
    engine = create_engine(normalise_url(database_url))
    try:
        metadata, dialect = metadata_of(service), engine.dialect.name
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": on_this_database(dialect)})
            assert compare_metadata(context, metadata) == []
            for table, names in other_databases_indexes(metadata, dialect).items():
                assert not set(names) & index_names(connection, table)
        previous = ScriptDirectory.from_config(config).get_current_head()
        command.downgrade(config, "-1")
        command.upgrade(config, "head")
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == previous
    finally:
        engine.dispose()
