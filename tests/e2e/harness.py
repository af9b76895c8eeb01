"""The whole system as real processes, for end-to-end tests.

`System` starts what `make run` starts (deploy/Procfile.embedded): gunicorn with
the gateway on a free 127.0.0.1 port and the three workers, each in its own
process group with its log in the test's tmp dir. The mail catcher is not
started: the test runs its own SMTP server (`MailSink`, aiosmtpd) and points
SMTP_URL at it, so the notifications worker delivers over real SMTP.

Two modes, one code path, only the environment differs:
- "embedded": SQLite files and the kombu filesystem:// bus under the tmp dir;
- "production": three fresh PostgreSQL databases and a fresh RabbitMQ vhost
  (skipped when the servers are absent, a failure under CI=true).

Everything has a deadline; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests import servers
from tests.e2e.smtp_sink import HOST, MailSink, free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SERVICES = ("scheduling", "registration", "notifications")
MODES = ("embedded", "production")

STARTUP_SECONDS = float(os.environ.get("E2E_STARTUP_SECONDS", "60"))
STOP_SECONDS = 10.0
COMMAND_SECONDS = 120.0
HTTP_SECONDS = 15.0

# A worker is up once its log says so: the relay thread started, and for
# consuming services kombu's ConsumerMixin connected to the bus.
WORKER_READY = {
    "scheduling-worker": "started:",
    "registration-worker": "Connected to",
    "notifications-worker": "Connected to",
}

ADMIN = {"email": "admin@example.org", "password": "admin-e2e-password"}
ORGANISER = {"email": "organiser@example.org", "password": "organiser-e2e-password"}

# Variables the system reads (shared/config.py and friends): never inherited
# from the developer's shell, so a stray export cannot leak into a test.
CONTROLLED = (
    "VAR_DIR",
    "BROKER_URL",
    "SMTP_URL",
    "PUBLIC_BASE_URL",
    "MAIL_PAGE_PUBLIC",
    "MAIL_FROM",
    "ORGANIZER_EMAIL",
    "SECRET_KEY",
    "JWT_PRIVATE_KEY_FILE",
    "JWT_PUBLIC_KEY_FILE",
    "MAX_DELIVERY_ATTEMPTS",
    "RETRY_DELAY_MS",
    "MAIL_CATCHER_DIR",
    "BIND",
    "WEB_CONCURRENCY",
    "NOTIFICATIONS_SENDER",
    "SENDER_POLL_SECONDS",
    *(f"{s.upper()}_DATABASE_URL" for s in SERVICES),
)


class StartupFailed(RuntimeError):
    """The system did not come up within its deadline (the message has the logs)."""


def wait_until(
    predicate: Callable[[], object],
    *,
    timeout: float,
    interval: float = 0.1,
    message: str | Callable[[], str] = "condition",
) -> object:
    """Poll `predicate` until it returns something truthy; AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {text}")
        time.sleep(interval)


# --- processes -------------------------------------------------------------------


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path
    log_file: object = field(repr=False)

    def alive(self) -> bool:
        return self.popen.poll() is None


def _signal_group(process: Process, signum: int) -> None:
    try:
        os.killpg(process.popen.pid, signum)  # the group this Popen created (start_new_session)
    except ProcessLookupError:
        pass


class System:
    """One running system: `start()`, drive it over HTTP with `url()`, `stop()`."""

    def __init__(self, mode: str, workdir: Path):
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.workdir = workdir
        self.var_dir = workdir / "var"
        self.log_dir = workdir / "logs"
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.mail = MailSink(check=self.fail_if_crashed)
        self.processes: list[Process] = []
        self.database_urls: dict[str, str] = {}
        self.broker_url = "filesystem://"
        self._cleanups: list[Callable[[], None]] = []
        self.http = requests.Session()
        self.organisation_id: str | None = None

    # configuration ---------------------------------------------------------------

    def _provision(self) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.mode == "embedded":
            self.database_urls = {s: f"sqlite:///{self.var_dir / (s + '.db')}" for s in SERVICES}
            return
        for service in SERVICES:  # skips (or fails under CI=true) without PostgreSQL
            url = servers.create_pg_database(f"eventi_e2e_{service}")
            self._cleanups.append(lambda url=url: servers.drop_pg_database(url))
            self.database_urls[service] = url
        self.broker_url = servers.create_vhost()
        self._cleanups.append(lambda url=self.broker_url: servers.delete_vhost(url))

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1",
                "VAR_DIR": str(self.var_dir),
                "BROKER_URL": self.broker_url,
                "SMTP_URL": self.mail.url,
                "PUBLIC_BASE_URL": self.base_url,
                "BIND": f"{HOST}:{self.port}",
                "WEB_CONCURRENCY": "2",
                "SECRET_KEY": "e2e-secret-of-at-least-thirty-two-characters",
                "RETRY_DELAY_MS": "500",
                "MAX_DELIVERY_ATTEMPTS": "3",
                "ORGANIZER_EMAIL": "programma@eventi.example",
                "MAIL_FROM": "Eventi <noreply@eventi.example>",
            }
        )
        env.update({f"{s.upper()}_DATABASE_URL": url for s, url in self.database_urls.items()})
        return env

    # lifecycle -------------------------------------------------------------------

    def start(self) -> System:
        try:
            self._provision()
            self.mail.start()
            self._prepare()
            self._spawn(
                "web",
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "-c",
                    str(ROOT / "deploy" / "gunicorn.embedded.py"),
                    "--graceful-timeout",
                    "5",
                    "--no-control-socket",
                    "services.gateway:create_gateway()",
                ],
            )
            for service in SERVICES:
                self._spawn(f"{service}-worker", [PYTHON, "-m", f"services.{service}.worker"])
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _run(self, name: str, args: list[str], extra_env: dict | None = None) -> None:
        """A setup command, with its output kept in logs/setup.log."""
        with open(self.log_dir / "setup.log", "ab") as log:
            log.write(f"$ {' '.join(args)}\n".encode())
            log.flush()
            done = subprocess.run(
                args,
                cwd=ROOT,
                env={**self.env, **(extra_env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=COMMAND_SECONDS,
                check=False,
            )
        if done.returncode != 0:
            raise StartupFailed(f"{name} failed ({done.returncode}):\n{self.log_text()}")

    def _prepare(self) -> None:
        """What `make seed` does before `make run`, minus the demo: keys,
        migrations, the first administrator, and an organiser with an organisation."""
        self._run("init-keys", [PYTHON, "-m", "services.scheduling.cli", "init-keys"])
        self._run("init-signing-key", [PYTHON, "-m", "services.notifications.cli", "init-signing-key"])
        self._run("migrate", [PYTHON, "-m", "shared.migrate"])
        self._run(
            "create-admin",
            [PYTHON, "-m", "services.scheduling.cli", "create-admin", ADMIN["email"], "--name", "Amministratrice"],
            {"ADMIN_PASSWORD": ADMIN["password"]},
        )
        self.organisation_id = self._create_organiser()

    def _create_organiser(self) -> str:
        """Organisations have no HTTP API yet: create one, and an organiser
        who owns it, with the scheduling use cases (as services/scheduling/seed.py does)."""
        from services.scheduling import accounts as scheduling
        from services.scheduling.models import Outbox
        from shared.db import make_engine, make_session_factory

        engine = make_engine(self.database_urls["scheduling"])
        try:
            factory = make_session_factory(engine, service="scheduling", outbox_model=Outbox)
            with factory() as session, session.begin():
                organisation = scheduling.create_organisation(session, "Comune di Prova", "comune-di-prova")
                scheduling.create_account(
                    session,
                    email=ORGANISER["email"],
                    name="Giulia Rossi",
                    password=ORGANISER["password"],
                    memberships={organisation.id: "owner"},
                )
                return organisation.id
        finally:
            engine.dispose()

    def _spawn(self, name: str, args: list[str]) -> None:
        log_path = self.log_dir / f"{name}.log"
        log_file = open(log_path, "ab")  # closed in stop()
        popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(Process(name, popen, log_path, log_file))

    def _wait_ready(self) -> None:
        """Every /<service>/readyz answers 200 and every worker says it is up."""
        pending = {f"/{s}/readyz" for s in SERVICES} | set(WORKER_READY)
        deadline = time.monotonic() + STARTUP_SECONDS
        while pending:
            dead = [p for p in self.processes if not p.alive()]
            if dead:
                names = ", ".join(f"{p.name} (exit {p.popen.returncode})" for p in dead)
                raise StartupFailed(f"{names} exited during startup:\n{self.log_text()}")
            for name in sorted(pending):
                if name in WORKER_READY:
                    log = (self.log_dir / f"{name}.log").read_text("utf-8", "replace")
                    if WORKER_READY[name] in log:
                        pending.discard(name)
                    continue
                try:
                    if self.http.get(self.url(name), timeout=3).status_code == 200:
                        pending.discard(name)
                except requests.RequestException:
                    pass
            if pending and time.monotonic() > deadline:
                raise StartupFailed(f"{sorted(pending)} not ready after {STARTUP_SECONDS:.0f}s:\n{self.log_text()}")
            if pending:
                time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM every process group, SIGKILL what is left after the grace
        period, then stop SMTP and drop the databases and the vhost."""
        for process in self.processes:
            if process.alive():
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.log_file.write(f"\n[harness] {process.name} ignored SIGTERM: SIGKILL\n".encode())
            _signal_group(process, signal.SIGKILL)  # also reaps gunicorn workers left behind
            try:
                process.popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            process.log_file.close()
        self.http.close()
        self.mail.stop()
        while self._cleanups:
            try:
                self._cleanups.pop()()
            except Exception as exc:  # noqa: BLE001 - cleanup must go on
                print(f"[harness] cleanup failed: {exc}", file=sys.stderr)

    # driving it ------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(path), timeout=HTTP_SECONDS, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.url(path), timeout=HTTP_SECONDS, **kwargs)

    def login(self, account: dict) -> dict[str, str]:
        """Bearer headers for an organiser account."""
        response = self.post(
            "/scheduling/api/v1/auth/token", json={"email": account["email"], "password": account["password"]}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def crashed(self) -> list[str]:
        return [p.name for p in self.processes if not p.alive()]

    def fail_if_crashed(self) -> None:
        if self.crashed():
            raise AssertionError(f"{', '.join(self.crashed())} exited while the test ran:\n{self.log_text()}")

    def wait_for(self, predicate: Callable[[], object], *, timeout: float, message: str) -> object:
        """wait_until, failing at once (with the logs) if a process died."""

        def alive_and(predicate=predicate):
            self.fail_if_crashed()
            return predicate()

        return wait_until(alive_and, timeout=timeout, message=message)

    def log_text(self, tail_lines: int = 150) -> str:
        chunks = []
        for path in sorted(self.log_dir.glob("*.log")):
            lines = path.read_text("utf-8", "replace").splitlines()
            chunks.append(
                f"===== {path.name} (last {min(len(lines), tail_lines)} of {len(lines)} lines; "
                f"{path}) =====\n" + "\n".join(lines[-tail_lines:])
            )
        return "\n".join(chunks) or f"(no logs in {self.log_dir})"


class UnlimitedSystem(System):
    """The system with its rate limits out of the way, for loads from one
    address (fuzzing, benchmarks): the limits themselves are tested in
    tests/integration."""

    @property
    def env(self) -> dict[str, str]:
        unlimited = "1000000 per minute"
        return {
            **super().env,
            "RATELIMIT_ENABLED": "false",
            "LOGIN_ACCOUNT_LIMIT": unlimited,
            "LOGIN_ADDRESS_LIMIT": unlimited,
        }


@contextlib.contextmanager
def running(system: System, while_what: str) -> Iterator[System]:
    """The system started for a block (a fixture's lifetime); a process that
    exited meanwhile fails the block, with the logs."""
    started = system.start()
    try:
        yield started
        crashed = started.crashed()
    finally:
        started.stop()
    if crashed:
        pytest.fail(f"processes exited while {while_what}: {crashed}\n{started.log_text()}")
