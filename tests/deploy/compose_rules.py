"""The rules deploy/docker-compose.yml must keep, read with PyYAML (Docker cannot run
where the tests do): each check takes the parsed file and returns its problems."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from shared.config import SERVICES

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
PORTS = {"scheduling": 8001, "registration": 8002, "notifications": 8003}
# What every process of ours needs (shared/config.py load_settings, the rate limits, the proxy).
NEEDED = {
    "BROKER_URL",
    "SCHEDULING_DATABASE_URL",
    "REGISTRATION_DATABASE_URL",
    "NOTIFICATIONS_DATABASE_URL",
    "SMTP_URL",
    "PUBLIC_BASE_URL",
    "SECRET_KEY",
    "TRUSTED_PROXIES",
    "RATELIMIT_STORAGE_URI",
    "JWT_PRIVATE_KEY_FILE",
    "JWT_PUBLIC_KEY_FILE",
}
# ${SECRET_KEY:?message}: compose refuses to start without it (no default secret).
REQUIRED_SECRET = re.compile(r"^\$\{SECRET_KEY:?\?[^}]+\}$")
Compose = dict[str, Any]


def load(text: str | None = None) -> Compose:
    """The file as compose reads it: anchors and `<<` merge keys resolved."""
    return yaml.safe_load(COMPOSE.read_text() if text is None else text)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def command(service: dict) -> list[str]:
    cmd = service.get("command") or []
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def ours(service: dict) -> bool:
    return "build" in service


def module_exists(module: str) -> bool:
    path = DEPLOY.parent / Path(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__main__.py").is_file()


def processes(cmd: list[str]) -> bool:
    """A web or worker process of a service: it needs the migrated databases."""
    return cmd[:1] == ["gunicorn"] or (cmd[:2] == ["python", "-m"] and ".worker" in cmd[2])


def problems(compose: Compose) -> list[str]:
    found: list[str] = []
    services: dict[str, dict] = compose.get("services") or {}
    volumes = set((compose.get("volumes") or {}).keys())
    for name, service in services.items():
        if "image" not in service and "build" not in service:
            found.append(f"{name}: neither image nor build")
        build = service.get("build")
        if isinstance(build, dict):
            context = (COMPOSE.parent / build.get("context", ".")).resolve()
            if not (context / build.get("dockerfile", "Dockerfile")).is_file():
                found.append(f"{name}: no {build.get('dockerfile', 'Dockerfile')} in {context}")
        depends = service.get("depends_on") or []
        for dependency in depends if isinstance(depends, list) else list(depends):
            if dependency not in services:
                found.append(f"{name}: depends on {dependency}, which is no service")
        for volume in service.get("volumes") or []:
            source = str(volume).split(":", 1)[0]
            if source.startswith((".", "/")):
                if not (COMPOSE.parent / source).exists():
                    found.append(f"{name}: mounts {source}, which does not exist")
            elif source not in volumes:
                found.append(f"{name}: volume {source} is not declared")
        if ours(service):
            env = environment(service)
            missing = sorted(NEEDED - env.keys())
            if missing:
                found.append(f"{name}: environment lacks {', '.join(missing)}")
            if not REQUIRED_SECRET.match(env.get("SECRET_KEY", "")):
                found.append(f"{name}: SECRET_KEY is not required (${{SECRET_KEY:?...}}): {env.get('SECRET_KEY')!r}")
            cmd = command(service)
            if not cmd:
                found.append(f"{name}: no command")
            elif cmd[:2] == ["python", "-m"] and not module_exists(cmd[2]):
                found.append(f"{name}: runs {cmd[2]}, which is no module")
            depends = service.get("depends_on") or {}
            after = depends.get("migrate", {}).get("condition") if isinstance(depends, dict) else None
            if processes(cmd) and after != "service_completed_successfully":
                found.append(f"{name}: starts without waiting for migrate to complete")
    for svc in SERVICES:
        service = services.get(svc)
        if service is None:
            found.append(f"no web service {svc}")
            continue
        env, cmd = environment(service), command(service)
        if cmd[:3] != ["gunicorn", "-c", "deploy/gunicorn.service.py"] or cmd[3:] != [
            f"services.{svc}.app:create_app()"
        ]:
            found.append(f"{svc}: command {cmd} does not serve services.{svc}.app:create_app() with gunicorn")
        if env.get("SERVICE") != svc or env.get("BIND") != f"0.0.0.0:{PORTS[svc]}":
            found.append(f"{svc}: SERVICE={env.get('SERVICE')} BIND={env.get('BIND')}, not {svc} 0.0.0.0:{PORTS[svc]}")
        for worker in (f"{svc}-worker",):
            if command(services.get(worker, {}))[:3] != ["python", "-m", f"services.{svc}.worker"]:
                found.append(f"{worker}: does not run services.{svc}.worker")
    gateway = services.get("gateway", {})
    configs = [str(v).split(":")[0] for v in gateway.get("volumes", []) if "nginx" in str(v)]
    if not configs:
        found.append("gateway: mounts no nginx configuration")
    for config in configs:
        path = COMPOSE.parent / config
        if path.is_file():
            upstreams = dict(re.findall(r"upstream\s+(\w+)\s*\{\s*server\s+([\w.:-]+);", path.read_text()))
            for svc in SERVICES:
                if upstreams.get(svc) != f"{svc}:{PORTS[svc]}":
                    found.append(f"gateway: {config} sends {svc} to {upstreams.get(svc)}, not {svc}:{PORTS[svc]}")
    for svc in SERVICES:
        if svc not in (gateway.get("depends_on") or []):
            found.append(f"gateway: does not depend on {svc}")
    return found
