"""Fixtures shared by every tier."""

from __future__ import annotations

import pytest

from tests import services


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database (dropped afterwards)."""
    url = services.create_pg_database()
    yield url
    services.drop_pg_database(url)


@pytest.fixture
def amqp_url():
    """A fresh RabbitMQ vhost (deleted afterwards)."""
    url = services.create_vhost()
    yield url
    services.delete_vhost(url)
