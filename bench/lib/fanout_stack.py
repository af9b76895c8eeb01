"""The system under bench/fanout.py: fresh PostgreSQL databases and a fresh
RabbitMQ vhost, an SMTP sink process that logs each accepted mail with its
arrival time, and the real processes (scheduling, registration and
notifications workers, registration web), all on 127.0.0.1, all removed at
the end."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVICES = ("scheduling", "registration", "notifications")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_sink_main(port: int, log: Path) -> int:
    """The SMTP server: accepts everything, appends "<unix time> <recipient>"."""
    from aiosmtpd.controller import Controller

    out = open(log, "a", buffering=1)  # line-buffered: the parent tails it

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            out.write(f"{time.time():.6f} {envelope.rcpt_tos[0]}\n")
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port, data_size_limit=10_000_000)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    return 0


class Stack:
    def __init__(self, tmp: Path, *, smtp_connections: int = 2, replicas: int = 1, senders: int = 0):
        self.tmp, self.smtp_connections, self.replicas = tmp, smtp_connections, replicas
        self.senders = senders  # 0: the workers send (inline); n: n sender processes (NOTIFICATIONS_SENDER=separate)
        self.smtp_port, self.web_port = free_port(), free_port()
        self.sink_log = tmp / "smtp.log"
        self.urls: dict[str, str] = {}
        self.vhost = f"eventi_bench_{uuid.uuid4().hex[:8]}"
        self.processes: dict[str, subprocess.Popen] = {}
        self._read, self._arrived = 0, []

    # --- lifecycle ------------------------------------------------------------------
    def __enter__(self) -> Stack:
        if shutil.which("rabbitmqctl") is None:
            raise SystemExit("rabbitmqctl is needed (RabbitMQ on 127.0.0.1:5672)")
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for service in SERVICES:
                name = f"{self.vhost}_{service}"
                conn.execute(f'CREATE DATABASE "{name}"')
                self.urls[service] = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        _ctl("add_vhost", self.vhost)
        _ctl("set_permissions", "-p", self.vhost, "guest", ".*", ".*", ".*")
        self.sink_log.touch()
        self._spawn(
            "smtp",
            [sys.executable, str(ROOT / "bench" / "fanout.py"), "--smtp-sink", str(self.smtp_port), str(self.sink_log)],
        )
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        _ctl("delete_vhost", self.vhost)
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for url in self.urls.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    @property
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
        env.update({f"{s.upper()}_DATABASE_URL": url for s, url in self.urls.items()})
        env.update(
            PYTHONPATH=str(ROOT),
            VAR_DIR=str(self.tmp / "var"),
            SMTP_URL=f"smtp://127.0.0.1:{self.smtp_port}",
            BROKER_URL=f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}",
            DIGEST_WINDOW_SECONDS="0",
            PUBLIC_BASE_URL=f"http://127.0.0.1:{self.web_port}",
            RATELIMIT_ENABLED="false",
            SMTP_CONNECTIONS=str(self.smtp_connections),
            SERVICE="registration",
            BIND=f"127.0.0.1:{self.web_port}",
            WEB_CONCURRENCY="4",
            WEB_THREADS="4",
            NOTIFICATIONS_SENDER="separate" if self.senders else "inline",
        )
        return env

    def migrate(self) -> None:
        """Migrate the three databases; this process then uses them too."""
        os.environ.update(
            {k: v for k, v in self.env.items() if k.endswith("_DATABASE_URL") or k in ("VAR_DIR", "PUBLIC_BASE_URL")}
        )
        subprocess.run(
            [sys.executable, "-m", "shared.migrate"], cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL
        )

    def launch(self) -> None:
        """Start the workers and registration's web server."""
        for service in SERVICES:
            self._spawn(f"{service}-worker", [sys.executable, "-m", f"services.{service}.worker"])
        for n in range(2, self.replicas + 1):  # notifications replicas compete on the queue and share the work
            self._spawn(f"notifications-worker-{n}", [sys.executable, "-m", "services.notifications.worker"])
        for n in range(1, self.senders + 1):  # separate sender processes, woken by LISTEN/NOTIFY
            self._spawn(f"notifications-sender-{n}", [sys.executable, "-m", "services.notifications.worker.sender"])
        self._spawn(
            "registration-web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "deploy" / "gunicorn.service.py"),
                "--access-logfile",
                "/dev/null",
                "services.registration.app:create_app()",
            ],
        )
        self.wait_for_log("notifications-worker", "Connected to")
        self.wait_for_log("registration-worker", "Connected to")
        for n in range(1, self.senders + 1):
            self.wait_for_log(f"notifications-sender-{n}", "listening on")

    def _spawn(self, name: str, args: list[str]) -> None:
        log = open(self.tmp / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )

    def wait_for_log(self, name: str, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in (self.tmp / f"{name}.log").read_text("utf-8", "replace"):
            if self.processes[name].poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start:\n" + (self.tmp / f"{name}.log").read_text()[-3000:])
            time.sleep(0.2)

    # --- the SMTP sink's log -----------------------------------------------------------
    def arrivals(self) -> list[tuple[float, str]]:
        """Every mail so far (the log is read incrementally: the bench must not
        steal the CPU it measures)."""
        with open(self.sink_log, "rb") as log:
            log.seek(self._read)
            chunk = log.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self._read += len(complete)
        for line in complete.decode().splitlines():
            at, rcpt = line.split(" ", 1)
            self._arrived.append((float(at), rcpt))
        return self._arrived

    def wait_for_arrivals(self, count: int, *, after: int, timeout: float) -> list[tuple[float, str]]:
        """Block until `count` mails arrived beyond the first `after`; returns them."""
        deadline = time.monotonic() + timeout
        while True:
            fresh = self.arrivals()[after:]
            if len(fresh) >= count:
                return fresh
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(fresh)} of {count} mails arrived in {timeout:.0f} s; logs in {self.tmp}")
            time.sleep(0.05)

    def quiet(self, seconds: float = 1.0, timeout: float = 120) -> int:
        """Wait until no mail arrived for `seconds`; returns the count so far."""
        deadline, seen, since = time.monotonic() + timeout, -1, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.arrivals())
            if count != seen:
                seen, since = count, time.monotonic()
            elif time.monotonic() - since >= seconds:
                return count
            time.sleep(0.1)
        raise SystemExit("the system never went quiet")


def _ctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=False, capture_output=True, timeout=60)
