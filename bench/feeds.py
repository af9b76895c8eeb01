"""Benchmark of the schedule feed (not a test): `python bench/feeds.py`.

An event with 1,000 sessions in 10 rooms (4 days x 10 rooms x 25 half-hour
slots, one speaker each) is released and served by gunicorn (4 sync
workers, 127.0.0.1). In one run, against the same server, it prints:

  (a) warm feed requests/s / bare Flask JSON endpoint requests/s  (target >= 0.5)
  (b) 304 revalidations/s  / the same baseline                     (target >= 0.8)
  (c) cold render time / icalendar alone building and serialising
      the same 1,000 events                                          (target <= 2.0)

The load comes from a second process: wrk (`apt-get install wrk`) if it is
on PATH, else a bounded Python client. Every run is bounded in time; the
server and the data live in a temporary folder and are removed at the end."""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.feeds_data import BENCH_SLUG, baseline_render, cold_render, seed  # noqa: E402
from bench.lib.loadgen import measure  # noqa: E402
from bench.lib.quiet import Meter, wait_until_quiet  # noqa: E402

TARGETS = {"a": 0.5, "b": 0.8, "c": 2.0}
GZIP = {"Accept-Encoding": "gzip"}


def bench_app():
    """The scheduling app plus a bare Flask JSON endpoint, for gunicorn."""
    from flask import jsonify

    from services.scheduling.app import create_app

    ttl = os.environ.get("SCHEDULE_LOOKUP_TTL")
    app = create_app({"SCHEDULE_LOOKUP_TTL": float(ttl)} if ttl else None)
    app.add_url_rule("/bench/hello", "bench_hello", lambda: jsonify(hello="world"))
    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds, averaged")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eventi-bench-") as tmp:
        env = _environment(Path(tmp))
        os.environ.update(env)
        seed_seconds = seed()
        cold, base = _render_ratio()
        rows = _served(args, env)
    _report(args, seed_seconds, cold, base, rows)
    return 0


def _environment(tmp: Path) -> dict[str, str]:
    return {
        "VAR_DIR": str(tmp),
        "SCHEDULING_DATABASE_URL": f"sqlite:///{tmp / 'scheduling.db'}",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        "BROKER_URL": "filesystem://",
    }


def _render_ratio(repeats: int = 7) -> tuple[float, float]:
    """Medians of (c): our cold path (database -> parse -> render -> ETag)
    against icalendar alone on values already in memory."""
    cold = statistics.median(cold_render() for _ in range(repeats))
    base = statistics.median(baseline_render() for _ in range(repeats))
    return cold, base


def _served(args, env: dict[str, str]) -> dict[str, dict]:
    rows = {}
    with _server(args.workers, env) as server:
        base = f"http://127.0.0.1:{server.port}"
        feed = f"{base}/events/{BENCH_SLUG}/schedule.ics"
        rows["first feed request (one cold worker)"] = {"latency_ms": _one_request(feed) * 1000}
        etag = _etag(feed)
        _warm(base, feed, etag)
        plan = [
            ("hello", f"{base}/bench/hello", {}),
            ("feed", feed, {}),
            ("feed, gzip", feed, GZIP),
            ("304", feed, {"If-None-Match": etag}),
        ]
        for _ in range(args.rounds):
            for name, url, headers in plan:
                rows.setdefault(name, {"runs": []})["runs"].append(_measured(server, url, headers, args))
        for name in ("schedule.xml", "schedule.json"):
            rows[name] = {"runs": [_measured(server, f"{base}/events/{BENCH_SLUG}/{name}", {}, args)]}
    with _server(args.workers, env | {"SCHEDULE_LOOKUP_TTL": "0"}) as server:
        feed = f"http://127.0.0.1:{server.port}/events/{BENCH_SLUG}/schedule.ics"
        _warm(f"http://127.0.0.1:{server.port}", feed, etag)
        rows["feed, no lookup micro-cache"] = {"runs": [_measured(server, feed, {}, args)]}
        rows["304, no lookup micro-cache"] = {"runs": [_measured(server, feed, {"If-None-Match": etag}, args)]}
    return rows


def _measured(server, url: str, headers: dict, args) -> dict:
    """One load run on a quiet machine; re-run (at most 3 tries) when other
    processes used more than 0.25 cores meanwhile."""
    for attempt in range(1, 4):
        wait_until_quiet()
        with Meter(server.process.pid) as meter:
            result = measure(url, headers, args.duration, args.connections)
        if meter.foreign_cores <= 0.25 or attempt == 3:
            served = result["rps"] * args.duration
            return result | {
                "foreign_cores": meter.foreign_cores,
                "attempts": attempt,
                "server_us": meter.server_cpu / served * 1e6 if served else 0.0,
            }
    raise AssertionError("unreachable")


class _server:
    """gunicorn on a free 127.0.0.1 port, stopped (by its own pid) on exit."""

    def __init__(self, workers: int, env: dict[str, str]):
        self.workers, self.env = workers, env

    def __enter__(self):
        self.port = _free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-k",
            "sync",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "bench.feeds:bench_app()",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=os.environ | self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                time.sleep(3.0)  # let every worker boot
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("gunicorn did not start within 30 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _one_request(url: str) -> float:
    import urllib.request

    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return time.perf_counter() - started


def _etag(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["ETag"]


def _warm(base: str, feed: str, etag: str) -> None:
    """Every worker renders once before anything is timed."""
    for url, headers in ((f"{base}/bench/hello", {}), (feed, {}), (feed, GZIP), (feed, {"If-None-Match": etag})):
        measure(url, headers, 2, 8)


def _report(args, seed_seconds: float, cold: float, base: float, rows: dict) -> None:
    rate = {name: statistics.mean(run["rps"] for run in row["runs"]) for name, row in rows.items() if "runs" in row}
    print(
        f"\nmachine: {_machine()}\nload: {rows['hello']['runs'][0]['tool']}, {args.duration} s per run, "
        f"{args.rounds} rounds of hello/feed/feed gzip/304; gunicorn sync x{args.workers}; "
        f"seeding {seed_seconds:.1f} s\n"
    )
    _table(rows, rate)
    first = rows["first feed request (one cold worker)"]["latency_ms"]
    print(f"\nfirst feed request after start (cold worker, over HTTP): {first:.0f} ms")
    print(
        f"cold render (database -> snapshot -> iCal -> ETag), median: {cold * 1000:.0f} ms; "
        f"icalendar alone, same 1,000 events: {base * 1000:.0f} ms\n"
    )
    verdicts = [
        ("a", "warm feed / hello", rate["feed"] / rate["hello"]),
        ("a", "warm feed, gzip / hello", rate["feed, gzip"] / rate["hello"]),
        ("b", "304 / hello", rate["304"] / rate["hello"]),
        ("c", "cold render / icalendar", cold / base),
    ]
    for key, label, ratio in verdicts:
        met = ratio <= TARGETS[key] if key == "c" else ratio >= TARGETS[key]
        sign = "<=" if key == "c" else ">="
        print(f"({key}) {label}: {ratio:.2f} (target {sign} {TARGETS[key]}) {'ok' if met else 'MISSED'}")


def _table(rows: dict, rate: dict) -> None:
    print(
        "| endpoint | req/s (each run) | req/s | ratio to hello | p50 | p99 | bytes | server CPU/request "
        "| others' cores |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        if "runs" not in row:
            continue
        runs = row["runs"]
        each = " / ".join(f"{r['rps']:,.0f}" for r in runs)
        foreign = " / ".join(f"{r['foreign_cores']:.2f}" + ("*" if r["attempts"] > 1 else "") for r in runs)
        print(
            f"| {name} | {each} | {rate[name]:,.0f} | {rate[name] / rate['hello']:.2f} | "
            f"{runs[-1]['p50_ms']:.1f} ms | {runs[-1]['p99_ms']:.1f} ms | {runs[-1]['bytes']:,} | "
            f"{statistics.mean(r['server_us'] for r in runs):.0f} µs | {foreign} |"
        )


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()}"


if __name__ == "__main__":
    sys.exit(main())
