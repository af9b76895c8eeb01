"""Benchmark of the organisers' pages (not a test): `python bench/organiser_pages.py`.

One event with 1,000 / 10,000 / 50,000 registrations, bulk inserted into a
fresh SQLite file and a fresh PostgreSQL database (127.0.0.1, skipped when
unreachable). In one run, for each size and database:

  pages:   p50 / p99 of the registration list (first page and a deep page),
           a search, a state filter and the dashboard (page and JSON), asked
           one after another through the app in process, against a trivial
           JSON page measured in the same run (the ratio removes the speed of
           the machine)                                       (target p99 < 250 ms at 50,000)
  exports: CSV, XLSX and the A4 badge PDF (one part, at most 2,000 badges),
           each in a fresh subprocess: seconds, and peak RSS (getrusage)
           minus that of a subprocess that only answers the trivial page.

Everything lives in a temporary folder (and temporary databases) removed at the end."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.organiser_data import SLUG, client, seed, settings_for  # noqa: E402

SIZES = (1000, 10000, 50000)
BASE = f"/organiser/events/{SLUG}"
PAGES = {
    "hello (baseline)": "/bench/hello",
    "list, page 1": f"{BASE}/registrations",
    "list, middle page": f"{BASE}/registrations?page={{middle}}",
    "search 'rossi1'": f"{BASE}/registrations?q=rossi1",
    "filter waitlisted": f"{BASE}/registrations?status=waitlisted",
    "dashboard page": f"{BASE}/dashboard",
    "dashboard JSON": f"/api/v1/organiser/events/{SLUG}/dashboard",
}
EXPORTS = {
    "baseline": "/bench/hello",
    "CSV": f"{BASE}/export.csv",
    "XLSX": f"{BASE}/export.xlsx",
    "badges A4 (part 1)": f"{BASE}/badges.pdf",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page (after 3 warm ones)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", nargs=3, metavar=("VAR_DIR", "DATABASE_URL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(*args.child)
    results = []
    for database in args.databases.split(","):
        for size in map(int, args.sizes.split(",")):
            with tempfile.TemporaryDirectory(prefix="eventi-bench-") as tmp, _database(database, Path(tmp)) as url:
                if url is None:
                    print(f"{database}: unreachable, skipped", file=sys.stderr)
                    break
                results.append(_one(database, size, Path(tmp), url, args.requests))
                _print(results[-1])
    print(json.dumps(results, indent=1))
    return 0


def _one(database: str, size: int, tmp: Path, url: str, requests: int) -> dict:
    settings = settings_for(tmp, url)
    started = time.perf_counter()
    seed(settings, size)
    _settle(url)
    seeded = time.perf_counter() - started
    test_client = client(settings)
    middle = max(size // 50 // 2, 1)  # 50 a page
    pages = {name: _timed(test_client, path.format(middle=middle), requests) for name, path in PAGES.items()}
    exports = {name: _exported(tmp, url, path) for name, path in EXPORTS.items()}
    return {"database": database, "size": size, "seed_s": round(seeded, 1), "pages": pages, "exports": exports}


def _settle(url: str) -> None:
    """What autovacuum does soon after a bulk load on PostgreSQL: statistics for the
    planner and the visibility map that lets an index-only scan skip the table."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _timed(test_client, path: str, requests: int) -> dict:
    for _ in range(3):
        assert test_client.get(path).status_code == 200, path
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = test_client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
    }


def _exported(tmp: Path, url: str, path: str) -> dict:
    command = [sys.executable, __file__, "--child", str(tmp), url, path]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT, env=os.environ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _child(var_dir: str, url: str, path: str) -> int:
    """One export in a fresh process: its seconds, bytes and the peak RSS."""
    test_client = client(settings_for(Path(var_dir), url))
    assert test_client.get("/bench/hello").status_code == 200
    started = time.perf_counter()
    response = test_client.get(path, buffered=False)
    assert response.status_code == 200, (path, response.status_code)
    size, first_byte = 0, None
    for piece in response.response:  # read as a client would, without keeping the body
        size += len(piece.encode() if isinstance(piece, str) else piece)
        first_byte = first_byte or time.perf_counter() - started
    response.close()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    figures = {"seconds": round(seconds, 2), "first_byte_s": round(first_byte or seconds, 3), "bytes": size}
    print(json.dumps({**figures, "peak_rss_mb": round(peak_mb, 1)}))
    return 0


class _database:
    """A fresh database URL for the run: a SQLite file in `tmp`, or a PostgreSQL
    database created and dropped through tests/servers.py (None when unreachable)."""

    def __init__(self, kind: str, tmp: Path):
        self.kind, self.tmp, self.url = kind, tmp, None

    def __enter__(self) -> str | None:
        if self.kind == "sqlite":
            return f"sqlite:///{self.tmp / 'registration.db'}"
        from tests import servers

        try:
            self.url = servers.create_pg_database()
        except Exception:  # noqa: BLE001 - no server: the run goes on without it
            return None
        return self.url

    def __exit__(self, *exc) -> None:
        if self.url:
            from tests import servers

            servers.drop_pg_database(self.url)


def _print(result: dict) -> None:
    base = result["pages"]["hello (baseline)"]["p50_ms"]
    print(f"\n{result['database']}, {result['size']:,} registrations (seeded in {result['seed_s']} s)")
    for name, figures in result["pages"].items():
        ratio = figures["p50_ms"] / base if base else 0
        print(f"  {name:22} p50 {figures['p50_ms']:8.1f} ms  p99 {figures['p99_ms']:8.1f} ms  x{ratio:6.1f}")
    baseline = result["exports"]["baseline"]["peak_rss_mb"]
    for name, figures in result["exports"].items():
        extra = figures["peak_rss_mb"] - baseline
        peak = f"peak RSS {figures['peak_rss_mb']:.0f} MB (+{extra:.0f})"
        first = f"first byte {figures['first_byte_s']:.3f} s"
        print(f"  {name:22} {figures['seconds']:7.2f} s  {first}  {figures['bytes']:>11,} B  {peak}")


if __name__ == "__main__":
    raise SystemExit(main())
