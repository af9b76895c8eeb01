"""The gateway's nginx configurations (deploy/nginx.conf for a machine of its own,
deploy/nginx.compose.conf for compose) pass `nginx -t` with Debian's nginx, and the
gateway routes each prefix to its service unchanged.

Both files are server blocks for nginx's http context (conf.d): each test wraps a temp
copy in a minimal main configuration (pid, error log and temp paths in the temp folder).
nginx resolves upstream host names when it reads its configuration, and compose's
names (scheduling, registration, notifications) do not resolve here: the copy sends
every upstream to 127.0.0.1 at the same port, and writes its log files to the temp
folder. Nothing else of the configuration is changed."""

from __future__ import annotations

import http.server
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests import servers

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CONFIGS = ["nginx.conf", "nginx.compose.conf"]
UPSTREAM = re.compile(r"(upstream\s+\w+\s*\{\s*server\s+)[\w.-]+:(\d+);")


def nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None)
    servers.require(found is not None, "nginx is not installed (apt-get install -y nginx; scripts/install-test-deps)")
    assert found is not None
    return found


def wrap(site: str, folder: Path, ports: dict[int, int] | None = None, listen: int | None = None) -> Path:
    """A main configuration in `folder` including a copy of `site` whose upstreams are on
    127.0.0.1 (at `ports[port]` where given) and whose logs are in `folder`."""
    ports = ports or {}
    text = UPSTREAM.sub(lambda m: f"{m.group(1)}127.0.0.1:{ports.get(int(m.group(2)), m.group(2))};", site)
    text = re.sub(r"access_log\s+/var/log/\S+", f"access_log {folder}/access.log", text)
    if listen is not None:
        text = re.sub(r"listen\s+80;", f"listen 127.0.0.1:{listen};", text)
    (folder / "site.conf").write_text(text)
    main = folder / "nginx.conf"
    temp = "\n".join(
        f"  {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\n{temp}\n  include {folder}/site.conf;\n}}\n"
    )
    return main


def check(binary: str, main: Path) -> subprocess.CompletedProcess:
    folder = main.parent
    return subprocess.run(
        [binary, "-t", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize("config", CONFIGS)
def test_nginx_accepts_the_configuration(config, tmp_path):
    binary = nginx()
    site = (DEPLOY / config).read_text()
    assert len(UPSTREAM.findall(site)) == 3
    result = check(binary, wrap(site, tmp_path))
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        (
            "client_max_body_size 1m;",
            "client_max_body_size 1m",
            'invalid number of arguments in "client_max_body_size"',
        ),
        ("client_max_body_size 1m;", "client_max_body_sise 1m;", 'unknown directive "client_max_body_sise"'),
        (
            "proxy_pass http://registration;",
            "proxy_pass http://registrations;",
            'host not found in upstream "registrations"',
        ),
    ],
    ids=["missing semicolon", "unknown directive", "unknown upstream"],
)
def test_nginx_refuses_a_broken_copy(old, new, complaint, tmp_path):
    binary = nginx()
    site = (DEPLOY / "nginx.compose.conf").read_text()
    assert old in site
    result = check(binary, wrap(site.replace(old, new, 1), tmp_path))
    assert result.returncode != 0 and complaint in result.stderr, result.stderr


class Upstream(http.server.BaseHTTPRequestHandler):
    """Answers with the path and forwarding headers it was sent, naming its service."""

    service = ""

    def do_GET(self):
        body = f"{self.service} {self.path} {self.headers.get('X-Forwarded-For')} {self.headers.get('Host')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def upstreams() -> Iterator[dict[int, int]]:
    """A stand-in for each service on a free port: {its real port: the stand-in's port}."""
    started, ports = [], {}
    for service, port in (("scheduling", 8001), ("registration", 8002), ("notifications", 8003)):
        handler = type(f"{service}Upstream", (Upstream,), {"service": service})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        ports[port] = server.server_address[1]
    yield ports
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("config", CONFIGS)
def test_the_gateway_routes_each_prefix_to_its_service(config, tmp_path, upstreams):
    binary = nginx()
    port = free_port()
    main = wrap((DEPLOY / config).read_text(), tmp_path, upstreams, listen=port)
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while not servers.port_open("127.0.0.1", port):
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "error.log").read_text()
            time.sleep(0.05)
        for path, service in [
            ("/scheduling/events/x", "scheduling"),
            ("/registration/r/secret-link", "registration"),
            ("/registration/api/v1/events", "registration"),
            ("/notifications/feeds/token.ics", "notifications"),
            ("/notifications/mail", "notifications"),
        ]:
            answer = requests.get(base + path, headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5)
            assert answer.status_code == 200, (path, answer.status_code)
            # The prefix reaches the service (gunicorn strips it), the client's address is appended
            # and Host is nginx's $host (the name, without the port).
            assert answer.text == f"{service} {path} 203.0.113.9, 127.0.0.1 127.0.0.1", answer.text
        root = requests.get(base + "/", allow_redirects=False, timeout=5)
        assert root.status_code == 302 and root.headers["Location"].endswith("/scheduling/")
        assert (
            requests.post(base + "/registration/api/v1/events", data=b"x" * (1024 * 1024 + 1), timeout=5).status_code
            == 413
        )
        if config == "nginx.conf":
            logged = (tmp_path / "access.log").read_text()
            assert "/scheduling/events/x" in logged and "secret-link" not in logged and "token.ics" not in logged
    finally:
        process.terminate()
        process.wait(timeout=10)
