"""Broker connections for both ways to run: kombu `filesystem://` under
var/bus, or RabbitMQ over AMQP with heartbeats and publisher confirms.

On a RabbitMQ cluster BROKER_URL lists every node, separated by `;`
(`amqp://u:p@rabbit-1:5672/eventi;amqp://u:p@rabbit-2:5672/eventi;...`):
kombu tries them round-robin, so a process whose node dies reconnects to
a live one by itself, with the same heartbeat and publisher confirms."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kombu import Connection

from .topology import DEAD, EVENTS, RETRY

HEARTBEAT_SECONDS = 30  # longer than any handler: handlers only touch the database


def connect(broker_url: str, bus_dir: Path, *, heartbeat: float = HEARTBEAT_SECONDS) -> Connection:
    if broker_url.startswith("filesystem://"):
        folders = {name: bus_dir / name for name in ("queue", "control", "processed")}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        _create_exchange_tables(folders["control"])
        return Connection(
            "filesystem://",
            transport_options={
                "data_folder_in": str(folders["queue"]),
                "data_folder_out": str(folders["queue"]),
                "control_folder": str(folders["control"]),
                "processed_folder": str(folders["processed"]),
                "store_processed": False,
            },
        )
    return Connection(
        broker_url,
        heartbeat=heartbeat,
        transport_options={"confirm_publish": True},
        failover_strategy="round-robin",
    )


def hosts(connection: Connection) -> int:
    """How many broker nodes BROKER_URL lists (1 without alternates)."""
    return max(len(connection.alt), 1)


def _create_exchange_tables(control: Path) -> None:
    """Fix (found by the e2e harness): kombu's filesystem transport creates a
    missing `<exchange>.exchange` binding table with open("wb") before it
    takes the lock, so processes declaring at the same time on a fresh bus
    (`make run` starts them together) could truncate each other's table and
    leave it corrupt: every later publish failed with JSONDecodeError (13 of
    40 runs with 4 simultaneous declarers). An empty table created atomically
    (hard link: never replaces a table that exists) makes kombu always take
    its locked read-modify-write path."""
    for exchange in (EVENTS, RETRY, DEAD):
        table = control / f"{exchange.name}.exchange"
        if table.exists():
            continue
        fd, tmp = tempfile.mkstemp(dir=control, prefix=".tmp-")
        try:
            os.write(fd, b"[]")
            os.close(fd)
            try:
                os.link(tmp, table)
            except FileExistsError:
                pass  # another process made it first
        finally:
            os.unlink(tmp)


def is_amqp(connection: Connection) -> bool:
    return connection.transport.driver_type == "amqp"


def bus_reachable(broker_url: str, bus_dir: Path, timeout: float = 3.0) -> tuple[bool, str]:
    """For /readyz: can this process reach the bus right now? On a cluster,
    any listed node will do: each is tried once (one retry without a list)."""
    try:
        with connect(broker_url, bus_dir) as conn:
            conn.ensure_connection(max_retries=max(hosts(conn) - 1, 1), timeout=timeout)
        return True, "ok"
    except Exception as exc:  # any failure means "not ready", with the reason
        return False, f"{type(exc).__name__}: {exc}"
