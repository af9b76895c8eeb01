"""Fixtures shared by every tier."""

from __future__ import annotations

import os

import pytest

from tests import servers

# Off the embedded default the services refuse the development secret
# (shared/config.py): tests on PostgreSQL and RabbitMQ, and the processes they
# start, run with a test secret of their own unless the shell sets one.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-not-for-any-deployment")


@pytest.fixture(autouse=True)
def outgoing_events_are_checked(request, monkeypatch):
    """The outbox writes events unchecked and its relay checks them before
    publishing. In tests every event is also loaded back where it is written,
    so a producer that builds an invalid one fails its own test at once, not
    only where a relay runs. Tests of the relay's check opt out."""
    if request.node.get_closest_marker("unchecked_events"):
        return
    from shared.messaging import outbox

    build = outbox.build_envelope
    monkeypatch.setattr(outbox, "build_envelope", lambda *args, **kwargs: build(*args, **{**kwargs, "check": True}))


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database (dropped afterwards)."""
    url = servers.create_pg_database()
    yield url
    servers.drop_pg_database(url)


@pytest.fixture
def amqp_url():
    """A fresh RabbitMQ vhost (deleted afterwards)."""
    url = servers.create_vhost()
    yield url
    servers.delete_vhost(url)
