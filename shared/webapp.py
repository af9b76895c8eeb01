"""The parts of every service's create_app(): settings, engine, sessions,
OpenAPI, JSON errors, health, and the organiser from the bearer token."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, request
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.auth import Organiser, organiser_from_header
from shared.config import Settings, load_settings
from shared.db import make_engine, make_session_factory
from shared.http import create_api, install_error_handlers, install_health

SHARED_DIR = Path(__file__).resolve().parent


@dataclass
class ServiceContext:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker
    _public_key: bytes | None = None

    @property
    def public_key(self) -> bytes | None:
        """Read once, not on every organiser request; while the key file is
        still missing (first start), look again next time."""
        if self._public_key is None:
            path = self.settings.jwt_public_key_path
            self._public_key = path.read_bytes() if path.exists() else None
        return self._public_key


def install_web(app, settings) -> None:
    from shared.web import install_web as install  # imports ctx() from here

    install(app, settings)


def build_app(
    import_name: str, service: str, *, outbox_model, config: dict | None = None, title: str, description: str
):
    """Return (app, api, context); the service adds its blueprints."""
    config = dict(config or {})
    settings = config.pop("SETTINGS", None) or load_settings(service)
    app = Flask(import_name, static_folder=str(SHARED_DIR / "static"), static_url_path="/static")
    app.config.update(SECRET_KEY=settings.secret_key, JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=1024 * 1024)
    app.config.update(config)
    engine = config.get("ENGINE") or make_engine(settings.database_url)
    context = ServiceContext(settings, engine, make_session_factory(engine, service=service, outbox_model=outbox_model))
    app.extensions["eventi"] = context
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(str(SHARED_DIR / "templates"))])
    api = create_api(app, title=title, description=description)
    install_error_handlers(app)
    install_health(app, settings, engine)
    install_web(app, settings)
    return app, api, context


def ctx() -> ServiceContext:
    return current_app.extensions["eventi"]


@contextmanager
def transaction() -> Session:
    """One request, one transaction: commits on success, rolls back on error."""
    with ctx().session_factory() as session, session.begin():
        yield session


def current_organiser() -> Organiser:
    return organiser_from_header(ctx().public_key, request.headers.get("Authorization"))
