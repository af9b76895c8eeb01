"""Registration rush benchmark (not a test): `python bench/registration_rush.py`.

2,000 registration attempts from 64 concurrent clients for an event with 500
seats, through gunicorn on PostgreSQL (the rush pretix is measured with, with
our endpoint and body). It prints confirmed, waitlisted, errors and
overbooked (counted in the database: must be 0, with exactly 500 confirmed),
throughput, p50 and p99 latency and, in the same run on the same server and
with the same client and concurrency, the throughput as ratios to

  (a) a bare Flask endpoint of the same gunicorn app          (target >= 0.25)
  (b) a raw psycopg loop doing the same database transactions
      with the same concurrency: the database's limit          (target >= 0.5)

and the p99 latency of the rush (target < 250 ms).

Everything runs on 127.0.0.1 and is bounded: a fresh PostgreSQL database
(dropped at the end), a gunicorn on a free port (stopped by its pid), a load
of a fixed number of requests. PostgreSQL must be reachable (BENCH_PG_ADMIN_URL,
default postgresql://postgres@127.0.0.1:5432/postgres). The rate limiter stays
on, with a limit that one address cannot reach here (all load comes from
127.0.0.1, while a real rush comes from many addresses)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
HOST = "127.0.0.1"
TARGETS = {"flask": 0.25, "psycopg": 0.5, "p99_ms": 250.0}
RUSH_EVENT = "00000000-0000-4000-8000-0000000b0500"
HELLO = "/api/v1/bench/hello"


def bench_app():
    """The registration app plus a bare Flask JSON endpoint, for gunicorn: one server."""
    from flask import jsonify, request

    from services.registration.app import create_app

    app = create_app()

    def hello():
        body = request.get_json(silent=True) or {}
        return jsonify(ok=True, email=body.get("email")), 201

    # Under /api/ like every JSON endpoint: through the same hooks, exempt from CSRF as they are.
    app.add_url_rule(HELLO, "bench_hello", hello, methods=["POST"])
    return app


# --- the database ------------------------------------------------------------------------


def create_database() -> str:
    import psycopg

    name = f"eventi_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def publish_event(url: str, event_id: str, slug: str, seats: int) -> None:
    """The event as registration's consumer stores it from `event.published`."""
    from services.registration.listings import apply_event
    from services.registration.models import Outbox
    from shared.db import make_engine, make_session_factory

    starts = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=30)
    engine = make_engine(url)
    factory = make_session_factory(engine, service="registration", outbox_model=Outbox)
    with factory() as session, session.begin():
        apply_event(
            session,
            {
                "event_id": event_id,
                "slug": slug,
                "revision": 2,
                "status": "published",
                "type": "congress",
                "title": {"it": "Congresso dei comuni", "en": "Municipal congress"},
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=8),
                "timezone": "Europe/Rome",
                "venue": "Auditorium",
                "capacity": seats,
                "registration": {},
                "url": None,
                "organisation_ids": [],
            },
            base_url="http://127.0.0.1",  # no offers: the rush event confirms or waitlists
        )
    engine.dispose()


def database_counts(url: str, event_id: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        statuses = dict(
            conn.execute(
                "SELECT status, count(*) FROM registrations WHERE event_id = %s GROUP BY status", (event_id,)
            ).fetchall()
        )
        taken, capacity = conn.execute(
            "SELECT confirmed_count, capacity FROM listings WHERE id = %s", (event_id,)
        ).fetchone()
        events = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    return {"statuses": statuses, "seat_counter": taken, "capacity": capacity, "outbox": events}


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(url: str, tmp: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "REGISTRATION_DATABASE_URL": url,
        "VAR_DIR": str(tmp),
        "PUBLIC_BASE_URL": f"http://{HOST}:{port}",
        "REGISTRATION_RATE_LIMIT": "1000000 per minute",
        "SECRET_KEY": uuid.uuid4().hex,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:bench.lib.rush_gunicorn",
        "bench.registration_rush:bench_app()",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "--backlog",
        "2048",
        "--no-control-socket",
    ]
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError((tmp / "gunicorn.log").read_text()) from None
            time.sleep(0.1)
    stop_server(server)
    raise RuntimeError("gunicorn did not start within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


# --- where the CPU went (the machine is shared: others' load is reported, not hidden) ---------

TICK = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / TICK
    except OSError:
        return 0.0


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in children] + [d for c in children for d in _descendants(int(c))]


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def _machine_cpu() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / TICK  # all but idle and iowait


def wait_until_quiet(limit_cores: float, max_wait: float) -> float:
    """Wait (at most `max_wait` s) until the machine runs below `limit_cores`
    busy cores over 2 s; returns the last reading."""
    deadline = time.monotonic() + max_wait
    while True:
        before = _machine_cpu()
        time.sleep(2)
        busy = (_machine_cpu() - before) / 2
        if busy <= limit_cores or time.monotonic() >= deadline:
            return busy


def speed_probe() -> float:
    """Seconds for a fixed piece of pure-Python work (best of 5). These
    virtual machines change speed by up to 2x within minutes when their host
    is busy, which no process list shows: probes before and after each phase
    tell whether the phases compared ran at the same speed."""

    def work():
        started = time.perf_counter()
        total = 0
        for n in range(200_000):
            total += n % 7
        return time.perf_counter() - started

    return min(work() for _ in range(5))


def cpu_sample(server_pid: int | None) -> dict:
    me = os.times()
    server = sum(_process_cpu(p) for p in ([server_pid] + _descendants(server_pid))) if server_pid else 0.0
    return {
        "machine": _machine_cpu(),
        "server": server,
        "client": me.user + me.system,
        "postgres": sum(_process_cpu(p) for p in _postgres_pids()),
        "at": time.monotonic(),
    }


def cpu_split(before: dict, after: dict, requests: int) -> dict:
    """CPU milliseconds per request by party, and the cores others used meanwhile."""
    used = {k: after[k] - before[k] for k in ("machine", "server", "client", "postgres")}
    wall = after["at"] - before["at"]
    others = max(used["machine"] - used["server"] - used["client"] - used["postgres"], 0.0)
    return {
        "server_ms": 1000 * used["server"] / requests,
        "postgres_ms": 1000 * used["postgres"] / requests,
        "client_ms": 1000 * used["client"] / requests,
        "other_cores": others / wall,
        "busy_cores": used["machine"] / wall,
    }


# --- the client ------------------------------------------------------------------------------


async def _post(port: int, path: str, body: bytes) -> tuple[int, bytes, float]:
    """One POST on a fresh connection (gunicorn's sync workers close it anyway)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    response = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - started
    head, _, payload = response.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), payload, elapsed


async def _load(port: int, requests: list[tuple[str, bytes]], clients: int, timeout: float) -> list:
    queue = list(reversed(requests))
    results = []

    async def client():
        while queue:
            path, body = queue.pop()
            try:
                results.append(await asyncio.wait_for(_post(port, path, body), timeout))
            except (OSError, TimeoutError, IndexError, ValueError) as exc:
                results.append((0, repr(exc).encode(), timeout))

    await asyncio.gather(*(client() for _ in range(clients)))
    return results


def load(port: int, requests: list[tuple[str, bytes]], clients: int, timeout: float = 30.0) -> dict:
    started = time.perf_counter()
    results = asyncio.run(_load(port, requests, clients, timeout))
    wall = time.perf_counter() - started
    latencies = sorted(latency for _, _, latency in results)
    return {
        "results": results,
        "wall_s": wall,
        "rate": len(results) / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def attempt(slug: str, n: int, tag: str) -> tuple[str, bytes]:
    body = {
        "first_name": "Partecipante",
        "last_name": str(n),
        "email": f"participant{n}.{tag}@example.org",
        "organisation": "Comune di Prova",
        "locale": "it",
    }
    return f"/api/v1/events/{slug}/registrations", json.dumps(body).encode()


# --- the raw psycopg loop: the same transactions, no Python web stack ---------------------------

RAW_REGISTRATION_SQL = {  # what services.register sends, in its order (see its docstring)
    "event": "SELECT id FROM listings WHERE slug = %s",
    "listing": "SELECT listings.*, (SELECT count(*) FROM registrations WHERE event_id = %(event)s AND "
    "status = 'waitlisted' AND (queued_at < %(now)s OR (queued_at = %(now)s AND id < %(id)s))), "
    "pg_advisory_xact_lock_shared(hashtextextended('eventi.seats:' || %(event)s, 0)) "
    "FROM listings WHERE id = %(event)s",
    "position": "SELECT count(*) FROM registrations WHERE event_id = %s AND status = 'waitlisted' AND "
    "(queued_at < %s OR (queued_at = %s AND id < %s))",
    "insert": "WITH registered AS (INSERT INTO registrations (id, event_id, first_name, last_name, email, "
    "organisation, role, locale, answers, status, holds_seat, token_hash, revision, queued_at, created_at, "
    "updated_at) VALUES (%(id)s, %(event)s, 'Partecipante', %(n)s, %(email)s, 'Comune di Prova', '', 'it', "
    "'{}', %(status)s, %(seat)s, %(token)s, 1, %(now)s, %(now)s, %(now)s))"
    ", queued AS (INSERT INTO outbox (message_id, routing_key, body, created_at) VALUES (%(message)s, "
    "%(key)s, %(body)s, %(now)s)) "
    "SELECT capacity IS NULL OR confirmed_count < capacity FROM listings WHERE id = %(event)s",
    "outbox": "INSERT INTO outbox (message_id, routing_key, body, created_at) VALUES (%s, %s, %s, %s)",
    "claim": "UPDATE listings SET confirmed_count = confirmed_count + 1 WHERE id = %s AND "
    "(capacity IS NULL OR confirmed_count < capacity)",
    "unclaim": "UPDATE registrations SET status = 'waitlisted', holds_seat = false WHERE id = %s",
    "unpublish": "DELETE FROM outbox WHERE message_id = %s",
}


def raw_loop(url: str, slug: str, attempts: int, clients: int) -> dict:
    """What the registration transaction costs the database alone: the same
    statements in the same order, from `clients` connections at once."""
    import psycopg
    from psycopg.rows import namedtuple_row

    numbers = list(range(attempts))
    lock = threading.Lock()
    body = json.dumps({"data": {"padding": "x" * 1200}})  # an envelope's size
    latencies: list[float] = []

    def client():
        with psycopg.connect(url, row_factory=namedtuple_row) as conn:
            (event_id,) = conn.execute(RAW_REGISTRATION_SQL["event"], (slug,)).fetchone()  # the app caches it too
            conn.commit()
            while True:
                with lock:
                    if not numbers:
                        return
                    n = numbers.pop()
                started = time.perf_counter()
                with conn.transaction():
                    _raw_attempt(conn, event_id, n, body)
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    wall = time.perf_counter() - started
    return {"rate": attempts / wall, "wall_s": wall, "p50_ms": 1000 * statistics.median(latencies)}


def _raw_attempt(conn, event_id: str, n: int, body: str) -> None:
    sql, now = RAW_REGISTRATION_SQL, dt.datetime.now(dt.timezone.utc)
    registration_id, message_id = str(uuid.uuid4()), str(uuid.uuid4())
    listing = conn.execute(sql["listing"], {"event": event_id, "now": now, "id": registration_id}).fetchone()
    seat_free = listing.capacity is None or listing.confirmed_count < listing.capacity
    status = "confirmed" if seat_free else "waitlisted"
    conn.execute(
        sql["insert"],
        {
            "id": registration_id,
            "event": event_id,
            "n": str(n),
            "email": f"raw{n}@example.org",
            "status": status,
            "seat": seat_free,
            "token": uuid.uuid4().hex * 2,
            "now": now,
            "message": message_id,
            "body": body,
            "key": f"registration.{status}",
        },
    ).fetchone()
    if seat_free and conn.execute(sql["claim"], (event_id,)).rowcount != 1:  # the last seats went to others
        conn.execute(sql["unpublish"], (message_id,))
        conn.execute(sql["unclaim"], (registration_id,))
        conn.execute(sql["position"], (event_id, now, now, registration_id)).fetchone()
        conn.execute(sql["outbox"], (str(uuid.uuid4()), "registration.waitlisted", body, now))


# --- the run --------------------------------------------------------------------------------------


def rush_summary(rush: dict, counts: dict, seats: int) -> dict:
    answered = Counter_of(rush["results"])
    confirmed_db = counts["statuses"].get("confirmed", 0)
    return {
        "attempts": len(rush["results"]),
        "confirmed": answered.get("confirmed", 0),
        "waitlisted": answered.get("waitlisted", 0),
        "errors": answered.get("error", 0),
        "error_samples": answered.get("samples", []),
        "confirmed_in_db": confirmed_db,
        "waitlisted_in_db": counts["statuses"].get("waitlisted", 0),
        "seat_counter": counts["seat_counter"],
        "overbooked": max(confirmed_db - seats, 0, counts["seat_counter"] - seats),
        "attempts_per_s": rush["rate"],
        "p50_ms": rush["p50_ms"],
        "p99_ms": rush["p99_ms"],
        "wall_s": rush["wall_s"],
    }


def Counter_of(results: list) -> dict:  # noqa: N802 - reads as a noun
    counted: dict = {"samples": []}
    for status, payload, _ in results:
        if status == 201:
            key = json.loads(payload)["registration"]["status"]
        else:
            key = "error"
            if len(counted["samples"]) < 3:
                counted["samples"].append(f"{status}: {payload[:200]!r}")
        counted[key] = counted.get(key, 0) + 1
    return counted


def run(args) -> dict:
    url = create_database()
    server = None
    try:
        from shared.migrate import upgrade

        upgrade("registration", url)
        for event_id, slug, seats in (
            (RUSH_EVENT, "rush", args.seats),
            (str(uuid.UUID(int=1)), "warmup", 10**6),
            (str(uuid.UUID(int=2)), "raw", args.seats),
        ):
            publish_event(url, event_id, slug, seats)
        with tempfile.TemporaryDirectory(prefix="eventi-rush-") as tmp:
            port = free_port()
            server = start_server(url, Path(tmp), port, args.workers, args.threads)
            load(port, [attempt("warmup", n, "w") for n in range(args.clients * 4)], args.clients)  # warm every worker
            load(port, [(HELLO, b"{}")] * 500, args.clients)
            idle = wait_until_quiet(args.quiet, args.max_wait)
            probes = [speed_probe()]
            before = cpu_sample(server.pid)
            hello = load(
                port,
                [(HELLO, json.dumps({"email": f"h{n}@example.org"}).encode()) for n in range(args.attempts)],
                args.clients,
            )
            middle = cpu_sample(server.pid)
            probes.append(speed_probe())
            rush_start = cpu_sample(server.pid)
            rush = load(port, [attempt("rush", n, "r") for n in range(args.attempts)], args.clients)
            after = cpu_sample(server.pid)
            probes.append(speed_probe())
            hello_after = load(port, [(HELLO, b"{}")] * args.attempts, args.clients)
            probes.append(speed_probe())
            cpu = {
                "hello": cpu_split(before, middle, args.attempts),
                "rush": cpu_split(rush_start, after, args.attempts),
            }
            stop_server(server)
            server = None
        raw = raw_loop(url, "raw", args.attempts, args.clients)
        summary = rush_summary(rush, database_counts(url, RUSH_EVENT), args.seats)
        flask_rate = (hello["rate"] + hello_after["rate"]) / 2
        hello_errors = sum(status != 201 for status, _, _ in hello["results"] + hello_after["results"])
        summary.update(
            {
                "flask_rate": flask_rate,
                "flask_errors": hello_errors,
                "flask_p99_ms": hello["p99_ms"],
                "raw_rate": raw["rate"],
                "ratio_flask": summary["attempts_per_s"] / flask_rate,
                "ratio_psycopg": summary["attempts_per_s"] / raw["rate"],
                "cpu": cpu,
                "busy_before": idle,
                "workers": args.workers,
                "threads": args.threads,
                "speed_drift": max(probes) / min(probes) - 1,
                "speed_probes_ms": [1000 * p for p in probes],
                "clients": args.clients,
                "seats": args.seats,
            }
        )
        return summary
    finally:
        if server is not None:
            stop_server(server)
        drop_database(url)


def report(s: dict) -> bool:
    ok = {
        "exactly the seats confirmed": s["confirmed_in_db"] == s["seats"] == s["confirmed"],
        "the bare endpoint answered 201 every time": s["flask_errors"] == 0,
        "no overbooking": s["overbooked"] == 0,
        "no errors": s["errors"] == 0,
        f"(a) ratio to bare Flask >= {TARGETS['flask']}": s["ratio_flask"] >= TARGETS["flask"],
        f"(b) ratio to raw psycopg >= {TARGETS['psycopg']}": s["ratio_psycopg"] >= TARGETS["psycopg"],
        f"p99 < {TARGETS['p99_ms']:.0f} ms": s["p99_ms"] < TARGETS["p99_ms"],
    }
    print(
        f"registration rush: {s['attempts']} attempts, {s['clients']} clients, {s['seats']} seats, "
        f"gunicorn {s['workers']} workers x {s['threads']} threads, PostgreSQL"
    )
    print(f"  confirmed   {s['confirmed']:>6}   (database: {s['confirmed_in_db']}, seat counter {s['seat_counter']})")
    print(f"  waitlisted  {s['waitlisted']:>6}   (database: {s['waitlisted_in_db']})")
    print(f"  errors      {s['errors']:>6}   {'; '.join(s['error_samples'])}")
    print(f"  overbooked  {s['overbooked']:>6}")
    print(f"  throughput  {s['attempts_per_s']:>8.1f} attempts/s   p50 {s['p50_ms']:.1f} ms   p99 {s['p99_ms']:.1f} ms")
    print(f"  bare Flask  {s['flask_rate']:>8.1f} requests/s   -> (a) ratio {s['ratio_flask']:.2f}")
    print(f"  raw psycopg {s['raw_rate']:>8.1f} transactions/s -> (b) ratio {s['ratio_psycopg']:.2f}")
    disturbed = max(s["cpu"][phase]["other_cores"] for phase in ("rush", "hello"))
    if disturbed > 0.15:
        print(f"  NOTE: other processes used up to {disturbed:.2f} cores during the measurement: figures disturbed")
    print(
        f"  machine speed probes {', '.join(f'{p:.1f}' for p in s['speed_probes_ms'])} ms: "
        f"drift {100 * s['speed_drift']:.0f} %"
    )
    if s["speed_drift"] > 0.15:
        print("  NOTE: the machine changed speed between the phases compared: the ratios are disturbed")
    for phase in ("rush", "hello"):
        c = s["cpu"][phase]
        print(
            f"  CPU per request ({phase}): server {c['server_ms']:.2f} ms, PostgreSQL {c['postgres_ms']:.2f} ms, "
            f"client {c['client_ms']:.2f} ms; machine busy {c['busy_cores']:.2f} cores, "
            f"others {c['other_cores']:.2f}"
        )
    for name, passed in ok.items():
        print(f"  [{'ok' if passed else 'MISSED'}] {name}")
    return all(ok.values())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seats", type=int, default=500)
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn sync workers (default: cores + 1, the lowest p99 measured; docs/benchmarks.md)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.15,
        help="start measuring once the machine is this idle (busy cores; default 0.15)",
    )
    parser.add_argument("--max-wait", type=float, default=120, help="seconds to wait for that (default 120)")
    args = parser.parse_args(argv)
    summary = run(args)
    passed = report(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
