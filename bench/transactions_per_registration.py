"""Database transactions per registration (not a test): `python bench/transactions_per_registration.py`.

The whole system in production mode (gunicorn and the three workers on fresh
PostgreSQL databases and a fresh RabbitMQ vhost, an aiosmtpd server, all on
127.0.0.1 and removed at the end): registrations POSTed one after another,
then, once every confirmation mail has arrived and the system is quiet, the
commits and rollbacks each database counted (pg_stat_database), per
registration. The baseline is the same count over an idle stretch of the same
length, so what the workers' polling costs by itself is told apart from what
a registration costs. Counts, unlike times, do not depend on how busy the
machine is."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.e2e.harness import ORGANISER, SERVICES, System, UnlimitedSystem, running  # noqa: E402

COUNTS = text("SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()")


def transactions(system: System) -> dict[str, tuple[int, int]]:
    """(commits, rollbacks) per service database so far."""
    counts = {}
    for service in SERVICES:
        engine = create_engine(system.database_urls[service].replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_stat_clear_snapshot()"))
            commits, rollbacks = connection.execute(COUNTS).one()
        engine.dispose()
        counts[service] = (int(commits), int(rollbacks))
    return counts


def settled(system: System, seconds: float = 11.0) -> dict[str, tuple[int, int]]:
    # An idle backend publishes its pending counters within 10 s (PostgreSQL 15).
    time.sleep(seconds)
    return transactions(system)


def published_event(system: System, headers: dict, capacity: int) -> str:
    event = system.post(
        "/scheduling/api/v1/events",
        json={
            "title": {"it": "Congresso dei Comuni"},
            "type": "congress",
            "starts_at": "2031-03-27T09:00",
            "ends_at": "2031-03-27T18:00",
            "timezone": "Europe/Rome",
            "capacity": capacity,
        },
        headers=headers,
    ).json()
    system.post(f"/scheduling/api/v1/events/{event['slug']}/publish", json={}, headers=headers)
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{event['slug']}").status_code == 200,
        timeout=30,
        message="registration to learn of the event",
    )
    return event["slug"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=200)
    args = parser.parse_args()
    n = args.registrations
    with running(UnlimitedSystem("production", Path(tempfile.mkdtemp())), "measuring") as system:
        headers = system.login(ORGANISER)
        slug = published_event(system, headers, capacity=n * 2)
        idle_before = settled(system)
        started = time.monotonic()
        for i in range(n):
            email = f"p{i}-{uuid.uuid4().hex[:6]}@comune.example"
            answer = system.post(
                f"/registration/api/v1/events/{slug}/registrations",
                json={"first_name": "Anna", "last_name": f"Rossi {i}", "email": email, "locale": "it"},
            )
            assert answer.status_code == 201, answer.text
        system.wait_for(lambda: len(system.mail.mails) >= n, timeout=120, message=f"{n} confirmations")
        elapsed = time.monotonic() - started
        busy = settled(system)
        idle_after = settled(system, seconds=max(elapsed, 11.0))

    print(f"{n} registrations, each with its confirmation mail, in {elapsed:.1f} s")
    print("database        commits/registration  rollbacks/registration  idle commits/s (baseline)")
    total = 0.0
    for service in SERVICES:
        idle_rate = (idle_after[service][0] - busy[service][0]) / max(elapsed, 11.0)
        # The stretch measured: the registrations and the settling wait after them.
        commits = busy[service][0] - idle_before[service][0] - idle_rate * (elapsed + 11.0)
        rollbacks = busy[service][1] - idle_before[service][1]
        total += commits / n
        print(f"{service:<15} {commits / n:>20.2f}  {rollbacks / n:>22.2f}  {idle_rate:>25.1f}")
    print(f"{'all three':<15} {total:>20.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
