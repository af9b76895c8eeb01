# --- event-bus reliability tests (tests/integration/bus_helpers.py) ---------
import pytest as _bus_pytest

from tests.integration import bus_helpers as _bus_helpers


@_bus_pytest.fixture
def rabbit_bus(pg_url, amqp_url, tmp_path):
    """Registration on real RabbitMQ (fresh vhost) and PostgreSQL (fresh database),
    retry delay 200 ms, 3 delivery attempts."""
    return _bus_helpers.make_bus("rabbitmq", tmp_path, database_url=pg_url, broker_url=amqp_url)


@_bus_pytest.fixture
def embedded_bus(tmp_path):
    """Registration on the embedded default: filesystem:// bus and SQLite under tmp_path."""
    return _bus_helpers.make_bus("embedded", tmp_path)


@_bus_pytest.fixture(
    params=[
        _bus_pytest.param("rabbitmq", marks=[_bus_pytest.mark.rabbitmq, _bus_pytest.mark.postgres]),
        "embedded",
    ]
)
def any_bus(request):
    """The same test on RabbitMQ + PostgreSQL and on the embedded transport."""
    return request.getfixturevalue(f"{'rabbit' if request.param == 'rabbitmq' else 'embedded'}_bus")


# --- the registration service (tests/integration/registration_support.py) ---------
@_bus_pytest.fixture(params=["sqlite", _bus_pytest.param("postgres", marks=_bus_pytest.mark.postgres)])
def desk(request, tmp_path):
    """The registration app with an event published (capacity 2, organised by ORG),
    on SQLite and on PostgreSQL."""
    from tests.factories import settings_for
    from tests.integration.registration_support import Desk

    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    desk = Desk(settings_for("registration", tmp_path, database_url=database_url))
    desk.deliver("event.published")
    return desk


@_bus_pytest.fixture
def sqlite_desk(tmp_path):
    """The same on SQLite only (for tests about HTTP behaviour, not the database)."""
    from tests.factories import settings_for
    from tests.integration.registration_support import Desk

    desk = Desk(settings_for("registration", tmp_path))
    desk.deliver("event.published")
    return desk
