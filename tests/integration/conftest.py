"""Fixtures of the integration tier: the event bus on each transport and the
registration service on each database."""

import pytest

from tests.integration import bus_helpers

# --- the event bus (tests/integration/bus_helpers.py) ---------


@pytest.fixture
def rabbit_bus(pg_url, amqp_url, tmp_path):
    """Registration on real RabbitMQ (fresh vhost) and PostgreSQL (fresh database),
    retry delay 200 ms, 3 delivery attempts."""
    return bus_helpers.make_bus("rabbitmq", tmp_path, database_url=pg_url, broker_url=amqp_url)


@pytest.fixture
def embedded_bus(tmp_path):
    """Registration on the embedded default: filesystem:// bus and SQLite under tmp_path."""
    return bus_helpers.make_bus("embedded", tmp_path)


@pytest.fixture(
    params=[
        pytest.param("rabbitmq", marks=[pytest.mark.rabbitmq, pytest.mark.postgres]),
        "embedded",
    ]
)
def any_bus(request):
    """The same test on RabbitMQ + PostgreSQL and on the embedded transport."""
    return request.getfixturevalue(f"{'rabbit' if request.param == 'rabbitmq' else 'embedded'}_bus")


# --- the registration service (tests/integration/registration_support.py) ---------
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def desk(request, tmp_path):
    """The registration app with an event published (capacity 2, organised by ORG),
    on SQLite and on PostgreSQL."""
    from tests.factories import settings_for
    from tests.integration.registration_support import Desk

    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    desk = Desk(settings_for("registration", tmp_path, database_url=database_url))
    desk.deliver("event.published")
    return desk


@pytest.fixture
def sqlite_desk(tmp_path):
    """The same on SQLite only (for tests about HTTP behaviour, not the database)."""
    from tests.factories import settings_for
    from tests.integration.registration_support import Desk

    desk = Desk(settings_for("registration", tmp_path))
    desk.deliver("event.published")
    return desk
