"""Each web Deployment's probes, as the manifest writes them, are answered by the process
the manifest starts: its command and env (BIND moved to a free port, one gunicorn
worker) on the embedded default in a temp folder. Liveness and readiness answer 200 there;
a probe path without the service prefix would not (gunicorn refuses it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests import servers
from tests.deploy import kubernetes_rules as rules

ROOT = rules.ROOT
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("var")
    env = {**os.environ, "VAR_DIR": str(folder)}
    for args in (["-m", "services.scheduling.cli", "init-keys"], ["-m", "shared.migrate"]):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    return folder


@pytest.mark.parametrize("service", ["scheduling", "registration", "notifications"])
def test_the_probes_of_the_manifest_are_answered(service, var_dir):
    deployment = next(
        d
        for d in rules.everything(rules.load())
        if d["kind"] == "Deployment" and d["metadata"]["name"] == f"{service}-web"
    )
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    port = free_port()
    env = {e["name"]: e["value"] for e in container["env"]}
    env |= {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "VAR_DIR": str(var_dir)}
    command = [str(BIN / container["command"][0]), *container["command"][1:]]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not servers.port_open("127.0.0.1", port):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        for probe in ("livenessProbe", "readinessProbe"):
            path = container[probe]["httpGet"]["path"]
            answer = requests.get(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert answer.status_code == 200, (probe, path, answer.text)
            assert answer.json()["service"] == service
        unprefixed = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert unprefixed.status_code != 200
    finally:
        process.terminate()
        process.wait(timeout=30)
