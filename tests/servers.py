"""Real PostgreSQL and RabbitMQ for tests: a fresh database or vhost each.
When a server is absent the test skips with the reason, except under
CI=true, where its absence fails the run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid

import pytest

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_HOST, PG_PORT = "127.0.0.1", 5432
AMQP_HOST, AMQP_PORT = "127.0.0.1", 5672


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def require_redis() -> str:
    """The URL of the machine's Redis (tests use fresh keys, never FLUSHDB)."""
    require(port_open(REDIS_HOST, REDIS_PORT), f"no Redis on {REDIS_HOST}:{REDIS_PORT}")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


def create_pg_database(prefix: str = "eventi_test") -> str:
    """Create an empty database and return its SQLAlchemy URL."""
    import psycopg

    require(port_open(PG_HOST, PG_PORT), f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"


def drop_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_vhost() -> str:
    """Create an isolated RabbitMQ vhost; returns the amqp:// URL."""
    require(port_open(AMQP_HOST, AMQP_PORT), f"RabbitMQ is not reachable on {AMQP_HOST}:{AMQP_PORT}")
    require(shutil.which("rabbitmqctl") is not None, "rabbitmqctl is needed to create test vhosts")
    vhost = f"eventi_test_{uuid.uuid4().hex[:10]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run(
        ["rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
    )
    return f"amqp://guest:guest@{AMQP_HOST}:{AMQP_PORT}/{vhost}"


def delete_vhost(url: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", url.rsplit("/", 1)[1]], capture_output=True)
