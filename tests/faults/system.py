"""The whole system in production mode on the fault suite's own servers:
one gunicorn per service (deploy/gunicorn.service.py, as in production),
the three workers, PostgreSQL and RabbitMQ of our own, and an SMTP server
we can break. Built on the e2e harness's System; adds what faults need:
the pids, kill -9 of one process or one gunicorn worker, a restart."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.e2e.harness import PYTHON, ROOT, SERVICES, Process, System, _signal_group
from tests.e2e.smtp_sink import HOST, free_port
from tests.faults.servers import FaultySmtp, PgCluster, RabbitCluster, RabbitNode

WORKERS = tuple(f"{s}-worker" for s in SERVICES)
WEBS = tuple(f"{s}-web" for s in SERVICES)

EXTRA_ENV = {
    "DIGEST_WINDOW_SECONDS": "0",  # a schedule change mails at once
    "RETRY_DELAY_MS": "1000",
    "MAX_DELIVERY_ATTEMPTS": "5",  # the production default
    "RATELIMIT_ENABLED": "false",  # one client address sends everything
    "REGISTRATION_RATE_LIMIT": "100000 per minute",
    "SELF_RATE_LIMIT": "100000 per minute",
    "WEB_THREADS": "4",
}


class FaultSystem(System):
    def __init__(self, workdir: Path, *, pg: PgCluster, rabbit: RabbitNode | RabbitCluster, replicas: int = 1):
        super().__init__("production", workdir)
        self.pg, self.rabbit = pg, rabbit
        self.mail = FaultySmtp()
        self.web_ports = {s: free_port() for s in SERVICES}
        # `replicas` copies of every web and worker process (names "<name>", "<name>-2", ...);
        # requests go round-robin over a service's web replicas, as behind a load balancer.
        self.replicas = replicas
        self.replica_ports = {
            s: [port] + [free_port() for _ in range(replicas - 1)] for s, port in self.web_ports.items()
        }
        self._next_replica = itertools.count()
        self.port = self.web_ports["scheduling"]
        self.base_url = f"http://{HOST}:{self.port}"
        self.vhost = ""
        self.commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.restarts: list[str] = []  # processes the suite restarted (a supervisor's job)

    def _provision(self) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.database_urls = {s: self.pg.create_database(f"eventi_{s}") for s in SERVICES}
        self.vhost = self.rabbit.add_vhost()
        self.broker_url = self.rabbit.url(self.vhost)

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, **EXTRA_ENV}

    def start(self) -> FaultSystem:
        try:
            self._provision()
            self.mail.start()
            self._prepare()
            for n in range(self.replicas):
                suffix = f"-{n + 1}" if n else ""
                for service in SERVICES:
                    self.spawn(
                        f"{service}-web{suffix}",
                        [
                            PYTHON,
                            "-m",
                            "gunicorn",
                            "-c",
                            str(ROOT / "deploy" / "gunicorn.service.py"),
                            "--graceful-timeout",
                            "5",
                            f"services.{service}.app:create_app()",
                        ],
                        {
                            "SERVICE": service,
                            "BIND": f"{HOST}:{self.replica_ports[service][n]}",
                            "WEB_CONCURRENCY": "2",
                        },
                    )
                for worker in WORKERS:
                    self.spawn(f"{worker}{suffix}", [PYTHON, "-m", f"services.{worker.removesuffix('-worker')}.worker"])
            self._wait_ready()
            self._wait_replicas_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        self.commands[name] = (args, env or {})
        log_path = self.log_dir / f"{name}.log"
        log_file = open(log_path, "ab")  # closed in stop()
        popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(Process(name, popen, log_path, log_file))

    def _wait_replicas_ready(self, timeout: float = 90) -> None:
        """Every replica's /readyz answers 200 and every worker replica logged its ready line."""
        if self.replicas == 1:
            return
        from tests.e2e.harness import WORKER_READY

        deadline = time.monotonic() + timeout
        pending = {f"{w}-{n + 1}" for w in WORKERS for n in range(1, self.replicas)}
        pending |= {f"http://{HOST}:{port}/{s}/readyz" for s, ports in self.replica_ports.items() for port in ports[1:]}
        while pending:
            for name in sorted(pending):
                if name.startswith("http"):
                    with contextlib.suppress(Exception):
                        if self.http.get(name, timeout=3).status_code == 200:
                            pending.discard(name)
                elif WORKER_READY[name.rsplit("-", 1)[0]].encode() in self.process(name).log_path.read_bytes():
                    pending.discard(name)
            if pending and time.monotonic() > deadline:
                raise AssertionError(f"{sorted(pending)} not ready after {timeout:.0f}s:\n{self.log_text()}")
            time.sleep(0.2)

    def url(self, path: str) -> str:
        service = path.strip("/").split("/", 1)[0]
        ports = self.replica_ports.get(service)
        port = ports[next(self._next_replica) % len(ports)] if ports else self.port
        return f"http://{HOST}:{port}{path}"

    def process(self, name: str) -> Process:
        return next(p for p in reversed(self.processes) if p.name == name)

    def kill(self, name: str) -> None:
        """kill -9 of one process (its whole group: a gunicorn master takes its workers)."""
        process = self.process(name)
        _signal_group(process, signal.SIGKILL)
        process.popen.wait(timeout=10)

    def restart(self, name: str) -> None:
        """What a supervisor does after a crash: start the same command again."""
        process = self.process(name)
        if process.alive():
            self.kill(name)
        self.processes.remove(process)
        process.log_file.close()
        self.restarts.append(name)
        args, env = self.commands[name]
        self.spawn(name, args, env)

    def gunicorn_workers(self, service: str) -> list[int]:
        master = self.process(f"{service}-web").popen.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_gunicorn_worker(self, service: str) -> int:
        """kill -9 of one gunicorn worker of `service` (its master forks a new one)."""
        pid = self.gunicorn_workers(service)[0]
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return pid

    def died(self) -> list[str]:
        """Processes that exited and were not restarted."""
        return [p.name for p in self.processes if not p.alive()]

    def wait_worker_ready(self, name: str, since: int, timeout: float = 60) -> None:
        """The restarted worker logged its ready line after byte `since` of its log."""
        marker = {"scheduling-worker": b"started:"}.get(name, b"Connected to")
        deadline = time.monotonic() + timeout
        while marker not in self.process(name).log_path.read_bytes()[since:]:
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} not ready {timeout:.0f}s after its restart")
            time.sleep(0.2)
