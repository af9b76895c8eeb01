"""The embedded bus survives its first start: `make run` starts every worker
at once on an empty var/bus, and each declares the topology as it connects.
kombu's filesystem transport used to let simultaneous first declarations
truncate each other's exchange table (a corrupt `events.exchange`, after
which every publish failed); shared.messaging.connection now creates the
tables atomically. Real processes, released together by a shared clock."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 6
ROUNDS = 15

DECLARE = """
import sys, time
from pathlib import Path
from kombu.transport import filesystem
from kombu.transport.virtual import BrokerState
from shared.messaging.connection import connect
from shared.messaging.topology import declare_all
start, step, dirs = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
for n, bus in enumerate(dirs):
    filesystem.Transport.global_state = BrokerState()  # kombu remembers bindings per process: a new bus each time
    with connect("filesystem://", Path(bus)) as conn:
        channel = conn.channel()
        while time.time() < start + n * step:
            pass
        declare_all(channel, is_amqp=False)
"""


def bindings(bus: Path) -> set[tuple]:
    table = json.loads((bus / "control" / "events.exchange").read_text())
    return {tuple(row) for row in table}


def test_workers_declaring_at_the_same_moment_on_a_fresh_bus_leave_every_binding_intact(tmp_path):
    buses = [tmp_path / f"bus{n}" for n in range(ROUNDS)]
    start = time.time() + 3  # every process has imported kombu by then
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", DECLARE, str(start), "0.1", *map(str, buses)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(PROCESSES)
    ]
    outputs = [p.communicate(timeout=60)[0].decode() for p in processes]
    assert [p.returncode for p in processes] == [0] * PROCESSES, "\n".join(outputs)
    # The same topology declared from one process, for comparison.
    reference = tmp_path / "reference"
    subprocess.run([sys.executable, "-c", DECLARE, "0", "0", str(reference)], cwd=ROOT, check=True, timeout=60)
    expected = bindings(reference)
    assert len(expected) >= 9
    assert [bindings(bus) for bus in buses] == [expected] * ROUNDS
