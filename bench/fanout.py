"""Benchmark of the notification fan-out (not a test): `python bench/fanout.py`.

On RabbitMQ and PostgreSQL (127.0.0.1 only), with the real worker processes
and a local SMTP server (aiosmtpd, in its own process), it prints:

  (a) fan-out: an organiser moves a workshop held by 2,000 participants and
      releases the schedule; the time from the release until the SMTP server
      has accepted the 2,000th update e-mail, as a throughput ratio to a
      plain smtplib loop sending 2,000 prebuilt messages to the same server
      in the same run                                              (target >= 0.5)
  (b) latency from a registration (HTTP POST) to its confirmation e-mail at
      the SMTP server, under a steady 50 registrations/s: p50 and p99
                                                                    (target p99 < 1 s)

Everything is bounded in time and lives in fresh databases, a fresh vhost
and a temporary folder, all removed at the end. DIGEST_WINDOW_SECONDS=0 (a
window would delay the mails by design)."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.fanout_stack import Stack, smtp_sink_main  # noqa: E402
from bench.lib.fanout_steps import (  # noqa: E402
    baseline_seconds,
    fanout_seconds,
    prepare_fanout,
    registration_latencies,
)
from bench.lib.quiet import wait_until_quiet  # noqa: E402

TARGETS = {"fanout_ratio": 0.5, "p99_seconds": 1.0}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000, help="seat holders of the moved workshop")
    parser.add_argument("--rate", type=float, default=50.0, help="registrations per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of the steady registration load")
    parser.add_argument("--rounds", type=int, default=2, help="fan-out rounds (the median is reported)")
    parser.add_argument("--smtp-connections", type=int, default=int(os.environ.get("SMTP_CONNECTIONS", "2")))
    parser.add_argument("--replicas", type=int, default=1, help="notifications worker processes")
    parser.add_argument(
        "--senders",
        type=int,
        default=0,
        help="separate sender processes (NOTIFICATIONS_SENDER=separate); 0: the workers send",
    )
    parser.add_argument("--smtp-sink", nargs=2, metavar=("PORT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smtp_sink:
        return smtp_sink_main(int(args.smtp_sink[0]), Path(args.smtp_sink[1]))
    with (
        tempfile.TemporaryDirectory(prefix="eventi-fanout-") as tmp,
        Stack(Path(tmp), smtp_connections=args.smtp_connections, replicas=args.replicas, senders=args.senders) as stack,
    ):
        results = _run(stack, args)
    _report(results, args)
    return 0 if results["ratio"] >= TARGETS["fanout_ratio"] and results["p99"] < TARGETS["p99_seconds"] else 1


def _run(stack: Stack, args) -> dict:
    stack.migrate()
    programme = prepare_fanout(stack, args.people)
    stack.launch()
    stack.quiet(seconds=2.0)
    ratios, rounds = [], []
    for n in range(args.rounds):
        idle = wait_until_quiet(limit_cores=0.4, timeout=60)  # the machine is shared: measure when it is calm
        base = baseline_seconds(stack, args.people)
        fan = fanout_seconds(stack, programme, round_number=n + 1)
        rounds.append((base, fan))
        ratios.append(base / fan)
        print(
            f"round {n + 1}: machine busy before {idle:.2f} cores; smtplib {args.people / base:,.0f} mails/s "
            f"({base:.2f} s), fan-out {args.people / fan:,.0f} mails/s ({fan:.2f} s), ratio {base / fan:.2f}",
            flush=True,
        )
    wait_until_quiet(limit_cores=0.4, timeout=60)
    latencies = registration_latencies(stack, rate=args.rate, seconds=args.seconds)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "ratio": statistics.median(ratios),
        "rounds": rounds,
        "p50": cuts[49],
        "p99": cuts[98],
        "registrations": len(latencies),
        "max": max(latencies),
    }


def _report(results: dict, args) -> None:
    base, fan = results["rounds"][-1]
    print()
    sending = f"{args.senders} separate sender process(es)" if args.senders else "sending inline"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}; "
        f"{args.replicas} notifications worker(s) {sending}, {args.smtp_connections} SMTP connection(s) each"
    )
    print(
        f"(a) fan-out of {args.people:,} update e-mails: ratio {results['ratio']:.2f} "
        f"(target >= {TARGETS['fanout_ratio']}); last round smtplib {base:.2f} s, fan-out {fan:.2f} s"
    )
    print(
        f"(b) registration -> confirmation e-mail at {args.rate:g}/s for {args.seconds:g} s "
        f"({results['registrations']} registrations): p50 {results['p50'] * 1000:.0f} ms, "
        f"p99 {results['p99'] * 1000:.0f} ms, max {results['max'] * 1000:.0f} ms "
        f"(target p99 < {TARGETS['p99_seconds'] * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
