"""A PgBouncer for tests: Debian's /usr/sbin/pgbouncer on a free port of
127.0.0.1, in transaction mode, trust auth, in front of the machine's
PostgreSQL (tests/servers.py). Absent, the test skips naming the package;
under CI=true its absence fails the run (servers.require)."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import time
from pathlib import Path

from tests import servers

BINARY = Path("/usr/sbin/pgbouncer")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgBouncer:
    """`with PgBouncer(tmp_path) as bouncer:` starts it; `bouncer.url(direct_url)`
    is that database's URL through the pooler. Every database of the server
    is reachable through it (`* = host=... port=...`)."""

    def __init__(self, folder: Path, *, pool_size: int = 4, pool_mode: str = "transaction"):
        servers.require(BINARY.exists(), f"{BINARY} is missing (Debian package pgbouncer)")
        servers.require(
            servers.port_open(servers.PG_HOST, servers.PG_PORT),
            f"PostgreSQL is not reachable on {servers.PG_HOST}:{servers.PG_PORT}",
        )
        self.folder = folder / "pgbouncer"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.pool_size, self.pool_mode = pool_size, pool_mode
        self.log = self.folder / "pgbouncer.log"
        self.process: subprocess.Popen | None = None

    def url(self, direct_url: str) -> str:
        """The same database, user and driver through the pooler."""
        head, database = direct_url.rsplit("/", 1)
        scheme, rest = head.split("://", 1)
        user = rest.split("@", 1)[0] if "@" in rest else "postgres"
        return f"{scheme}://{user}@127.0.0.1:{self.port}/{database}"

    def _config(self) -> Path:
        users = self.folder / "userlist.txt"
        users.write_text('"postgres" ""\n')
        ini = self.folder / "pgbouncer.ini"
        lines = [
            "[databases]",
            f"* = host={servers.PG_HOST} port={servers.PG_PORT}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {self.port}",
            "unix_socket_dir =",
            "auth_type = trust",
            f"auth_file = {users}",
            f"pool_mode = {self.pool_mode}",
            f"default_pool_size = {self.pool_size}",
            "max_client_conn = 500",
            "admin_users = postgres",
            "server_check_delay = 0",
        ]
        if os.geteuid() == 0:  # PgBouncer refuses to run as root: it drops to postgres
            lines.append("user = postgres")
            owner = pwd.getpwnam("postgres")
            for path in (self.folder, users):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        ini.write_text("\n".join(lines) + "\n")
        return ini

    def start(self) -> PgBouncer:
        ini = self._config()
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [str(BINARY), str(ini)], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + 15
        while not servers.port_open("127.0.0.1", self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pgbouncer did not start: {self.log.read_text()}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def show(self, what: str) -> list[dict]:
        """Rows of the admin console's SHOW <what> (POOLS, SERVERS, STATS...), by column name."""
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/pgbouncer",
            autocommit=True,
            prepare_threshold=None,
            row_factory=dict_row,
        ) as conn:
            return list(conn.execute(f"SHOW {what}").fetchall())

    def __enter__(self) -> PgBouncer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
