"""The demo process's configuration, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoConfig:
    api_url: str  # where the gateway listens (the embedded run's BIND)
    email: str  # the organiser seeded by services/scheduling/seed.py
    password: str
    startup_seconds: float  # how long to wait for the system and the seeded events


def load_config() -> DemoConfig:
    bind = os.environ.get("BIND") or "127.0.0.1:8000"
    return DemoConfig(
        api_url=(os.environ.get("DEMO_API_URL") or f"http://{bind}").rstrip("/"),
        email=os.environ.get("DEMO_EMAIL") or "organizzatore@example.org",
        password=os.environ.get("DEMO_PASSWORD") or "demo-password",
        startup_seconds=float(os.environ.get("DEMO_STARTUP_SECONDS") or "300"),
    )
