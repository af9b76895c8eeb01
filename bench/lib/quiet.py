"""CPU accounting for bench/feeds.py: how much of the machine other
processes used while a measurement ran (this machine is shared): wait for a
quiet machine, measure, and
re-run a measurement that others disturbed."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def machine_cpu() -> float:
    """CPU seconds used by the whole machine since boot (busy time only)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def tree_cpu(pid: int) -> float:
    """CPU seconds of a running process and its running descendants."""
    total = 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(stat[11]) + int(stat[12])) / TICK
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(tree_cpu(int(child)) for child in children)


def own_cpu() -> float:
    """CPU seconds of this process and its finished children (the load generator)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Meter:
    """Foreign cores = (machine busy - server - us) / wall time."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def __enter__(self):
        self.start = (time.monotonic(), machine_cpu(), tree_cpu(self.server_pid), own_cpu())
        return self

    def __exit__(self, *exc) -> None:
        end = (time.monotonic(), machine_cpu(), tree_cpu(self.server_pid), own_cpu())
        wall, machine, server, own = (b - a for a, b in zip(self.start, end, strict=True))
        self.foreign_cores = max(0.0, (machine - server - own) / wall)
        self.server_cpu = server


def wait_until_quiet(limit_cores: float = 0.3, timeout: float = 60.0) -> float:
    """Wait (bounded) until the machine uses less than `limit_cores` over a
    second; return the last reading."""
    deadline = time.monotonic() + timeout
    while True:
        before = machine_cpu()
        time.sleep(1.0)
        busy = machine_cpu() - before
        if busy < limit_cores or time.monotonic() > deadline:
            return busy
