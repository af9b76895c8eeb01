"""Alembic for each service: `python -m shared.migrate [SERVICE ...]` upgrades
the service databases to head (all three by default)."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from shared.config import SERVICES, load_settings
from shared.db import normalise_url

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(service: str, database_url: str | None = None) -> Config:
    url = normalise_url(database_url or load_settings(service).database_url)
    config = Config()
    config.set_main_option("script_location", str(ROOT / "services" / service / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(service: str, database_url: str | None = None) -> None:
    url = database_url or load_settings(service).database_url
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(service, url), "head")


def main(argv: list[str]) -> int:
    for service in argv or SERVICES:
        upgrade(service)
        print(f"{service}: database at head")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
