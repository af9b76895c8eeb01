"""The fault suite's own servers, free to be killed: a RabbitMQ node and a
PostgreSQL cluster on free ports with their data under a temporary folder,
and an SMTP server that can go down or answer 4xx for a while. The
machine's own servers (5432, 5672) are never touched."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.e2e.smtp_sink import HOST, MailSink, free_port

RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")
START_SECONDS = 90.0


def wait_port(port: int, *, timeout: float, up: bool = True) -> None:
    from tests.servers import port_open

    deadline = time.monotonic() + timeout
    while port_open(HOST, port) != up:
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {port} not {'open' if up else 'closed'} after {timeout:.0f}s")
        time.sleep(0.2)


def own_tmp_dir(prefix: str) -> Path:
    """A folder the servers' users can write (pytest's tmp dirs are 0700 root)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


class RabbitNode:
    """One RabbitMQ node: `faults-<rand>@localhost` on a free port, no plugins."""

    def __init__(self, base: Path):
        self.base = base
        self.name = f"faults-{uuid.uuid4().hex[:8]}@localhost"
        self.port, self.dist_port = free_port(), free_port()
        self.popen: subprocess.Popen | None = None
        self.pid: int | None = None  # the beam process
        self.log_path = base / "rabbitmq.out"
        (base / "plugins").write_text("[].\n")
        (base / "env.conf").write_text("")
        (base / "rabbitmq.conf").write_text(f"listeners.tcp.local = {HOST}:{self.port}\nloopback_users = none\n")

    @property
    def env(self) -> dict[str, str]:
        b = self.base
        return {
            **os.environ,
            "HOME": str(b),  # the Erlang cookie lives here, for rabbitmqctl too
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(b / "mnesia"),
            "RABBITMQ_LOG_BASE": str(b / "log"),
            "RABBITMQ_PID_FILE": str(b / "rabbitmq.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(b / "plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(b / "env.conf"),
            "RABBITMQ_CONFIG_FILE": str(b / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(b / "advanced.config"),
        }

    def url(self, vhost: str = "") -> str:
        return f"amqp://guest:guest@{HOST}:{self.port}/{vhost}"

    def start(self) -> RabbitNode:
        pid_file = self.base / "rabbitmq.pid"
        pid_file.unlink(missing_ok=True)
        log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(
            [str(RABBITMQ_BIN / "rabbitmq-server")],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        from tests.servers import port_open

        deadline = time.monotonic() + START_SECONDS
        while not port_open(HOST, self.port):  # the listener opens last, once the node has booted
            if self.popen.poll() is not None or time.monotonic() > deadline:
                tail = self.log_path.read_text("utf-8", "replace")[-3000:]
                raise RuntimeError(f"RabbitMQ did not start (exit {self.popen.poll()}):\n{tail}")
            time.sleep(0.25)
        self.pid = int(pid_file.read_text().strip())
        return self

    def ctl(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            [str(RABBITMQ_BIN / "rabbitmqctl"), "-q", "-n", self.name, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {done.returncode} {done.stdout} {done.stderr}")
        return done.stdout

    def add_vhost(self) -> str:
        vhost = f"eventi_faults_{uuid.uuid4().hex[:8]}"
        self.ctl("add_vhost", vhost)
        self.ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        return vhost

    def queues(self, vhost: str) -> dict[str, int]:
        """Messages (ready + unacked) in each queue of the vhost."""
        out = self.ctl("list_queues", "-p", vhost, "name", "messages", "--formatter", "json")
        return {q["name"]: int(q["messages"] or 0) for q in json.loads(out or "[]")}

    def kill(self) -> None:
        """kill -9 of the broker: no clean shutdown, no flush."""
        assert self.pid is not None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        """A graceful stop of the whole node."""
        with contextlib.suppress(Exception):
            self.ctl("stop", timeout=60)
        self._reap()

    def pause(self) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGCONT)

    def _reap(self) -> None:
        if self.popen is not None:
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        wait_port(self.port, timeout=30, up=False)

    def destroy(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGCONT)
                os.kill(self.pid, signal.SIGKILL)
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=10)


def pg_bin(name: str) -> str:
    for candidate in (shutil.which(name), *sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)):
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise FileNotFoundError(name)


class PgCluster:
    """A PostgreSQL cluster of our own: initdb under a temporary folder,
    pg_ctl on a free port (as the postgres user when run as root)."""

    def __init__(self, base: Path):
        self.base = base
        self.data = base / "data"
        self.port = free_port()
        self.log_path = base / "postgres.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root
            user = pwd.getpwnam("postgres")
            os.chown(base, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, timeout: float = 120) -> None:
        done = subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, timeout=timeout, check=False, cwd=self.base
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}")

    def init(self) -> PgCluster:
        self._run(pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        return self.start()

    def start(self) -> PgCluster:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses={HOST} -c max_connections=300 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log_path), "-w", "-o", options, "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.stop("immediate")

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/postgres"

    def create_database(self, prefix: str) -> str:
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/{name}"


class FaultySmtp(MailSink):
    """The MailSink, plus faults: `down()`/`up()` stop and restart the
    server on the same port, `refuse(code)` answers every DATA with that
    4xx code until `accept()`."""

    def __init__(self, check=lambda: None):
        super().__init__(check=check)
        self.refusing: str | None = None
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            self.refused += 1
            return self.refusing
        return await super().handle_DATA(server, session, envelope)

    def start(self) -> FaultySmtp:
        from aiosmtpd.controller import Controller

        if self.port is None:
            self.port = free_port()
        self.controller = Controller(self, hostname=HOST, port=self.port, ready_timeout=10)
        self.controller.start()
        return self

    def down(self) -> None:
        self.stop()

    def up(self) -> None:
        self.start()

    def refuse(self, code: int) -> None:
        texts = {421: "421 4.3.2 Service shutting down, try later", 451: "451 4.3.0 Temporary failure, try later"}
        self.refusing = texts[code]

    def accept(self) -> None:
        self.refusing = None


class RabbitCluster:
    """Three RabbitMQ nodes of our own clustered together: their own names,
    ports, distribution ports and data folders, one Erlang cookie. Offers
    what the suite asks of a broker (`url`, `add_vhost`, `queues`), answered
    by a node that is up; `nodes[i].kill()` / `.start()` take one down and
    bring it back (it rejoins the cluster by itself)."""

    def __init__(self, base: Path, size: int = 3):
        cookie = uuid.uuid4().hex.upper()
        self.nodes: list[RabbitNode] = []
        for i in range(size):
            folder = base / f"node{i + 1}"
            folder.mkdir(mode=0o755)
            cookie_file = folder / ".erlang.cookie"
            cookie_file.write_text(cookie)
            cookie_file.chmod(0o400)
            self.nodes.append(RabbitNode(folder))
        self.base = base

    def start(self) -> RabbitCluster:
        self.nodes[0].start()
        for node in self.nodes[1:]:
            node.start()
            node.ctl("stop_app")
            node.ctl("join_cluster", self.nodes[0].name)
            node.ctl("start_app")
            wait_port(node.port, timeout=START_SECONDS)
        running = self.running_nodes()
        if sorted(running) != sorted(n.name for n in self.nodes):
            raise RuntimeError(f"cluster not formed: running {running}")
        return self

    def up(self) -> list[RabbitNode]:
        from tests.servers import port_open

        return [node for node in self.nodes if node.popen is not None and port_open(HOST, node.port)]

    def live(self) -> RabbitNode:
        nodes = self.up()
        if not nodes:
            raise RuntimeError("no RabbitMQ node of the cluster is up")
        return nodes[0]

    def node_named(self, name: str) -> RabbitNode:
        return next(node for node in self.nodes if node.name == name)

    def running_nodes(self) -> list[str]:
        status = json.loads(self.live().ctl("cluster_status", "--formatter", "json"))
        return list(status.get("running_nodes", []))

    def url(self, vhost: str = "") -> str:
        """BROKER_URL listing every node: kombu fails over between them."""
        return ";".join(node.url(vhost) for node in self.nodes)

    def add_vhost(self) -> str:
        return self.live().add_vhost()

    def queues(self, vhost: str) -> dict[str, int]:
        return self.live().queues(vhost)

    def queue_members(self, vhost: str) -> dict[str, dict]:
        """Each queue's type, leader, members and consumers, as a live node sees them."""
        out = self.live().ctl(
            "list_queues", "-p", vhost, "name", "type", "leader", "members", "consumers", "--formatter", "json"
        )
        return {q["name"]: q for q in json.loads(out or "[]")}

    def connections(self) -> dict[str, int]:
        """Client connections per node (every node reports its own)."""
        out = self.live().ctl("list_connections", "name", "--formatter", "json")
        by_port = {str(node.port): node.name for node in self.nodes}
        counts = {node.name: 0 for node in self.nodes}
        for row in json.loads(out or "[]"):  # name: "client:port -> host:node_port"
            name = by_port.get(str(row["name"]).rsplit(":", 1)[-1].strip())
            if name:
                counts[name] += 1
        return counts

    def destroy(self) -> None:
        for node in self.nodes:
            node.destroy()
