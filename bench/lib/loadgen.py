"""Load for bench/feeds.py from another process on 127.0.0.1, bounded in
time: wrk when installed (the load generator of the published comparisons),
otherwise a small multi-process Python client. That client is slower than
the server, so it pulls every ratio towards 1 and hides differences: prefer wrk."""

from __future__ import annotations

import http.client
import multiprocessing
import re
import shutil
import statistics
import subprocess
import time
import urllib.request
from urllib.parse import urlsplit


def measure(url: str, headers: dict[str, str], duration: int, connections: int) -> dict:
    """{"rps", "p50_ms", "p99_ms", "bytes", "errors", "tool"} for `duration` seconds of load."""
    result = (
        _wrk(url, headers, duration, connections)
        if shutil.which("wrk")
        else _python(url, headers, duration, min(connections, 8))
    )
    return result | {"bytes": _size(url, headers)}


def _wrk(url: str, headers: dict[str, str], duration: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, timeout=duration + 30, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
        "errors": int(bad.group(1)) if bad else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "tool": f"wrk -t2 -c{connections}",
    }


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _python(url: str, headers: dict[str, str], duration: int, processes: int) -> dict:
    with multiprocessing.Pool(processes) as pool:
        parts = pool.starmap(_client, [(url, headers, duration)] * processes)
    latencies = sorted(latency for part, _ in parts for latency in part)
    errors = sum(bad for _, bad in parts)
    return {
        "rps": len(latencies) / duration,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": errors,
        "tool": f"python client x{processes}",
    }


def _client(url: str, headers: dict[str, str], duration: int) -> tuple[list[float], int]:
    parts = urlsplit(url)
    deadline, latencies, errors = time.monotonic() + duration, [], 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", parts.path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        latencies.append(time.perf_counter() - started)
        errors += response.status >= 400
    return latencies, errors


def _size(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return len(response.read())
    except urllib.error.HTTPError as exc:  # 304 Not Modified arrives as an "error"
        return len(exc.read())
