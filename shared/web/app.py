"""The parts of every service's create_app(): settings, engine, sessions,
OpenAPI, JSON errors, health, and the pages' shared setup."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask_smorest import Api
from jinja2 import ChoiceLoader, FileSystemLoader

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.web.api import create_api, install_error_handlers, install_health
from shared.web.context import ServiceContext
from shared.web.converters import install_converters
from shared.web.headers import install_security_headers
from shared.web.input_guard import install_input_guard
from shared.web.pages import http_error_page, install_web
from shared.web.proxies import trust_proxies

SHARED_DIR = Path(__file__).resolve().parents[1]
log = logging.getLogger(__name__)


def build_app(
    import_name: str, service: str, *, outbox_model, config: dict | None = None, title: str, description: str
) -> tuple[Flask, Api, ServiceContext]:
    """Return (app, api, context); the service adds its blueprints."""
    config = dict(config or {})
    settings = config.pop("SETTINGS", None) or load_settings(service)
    app = Flask(import_name, static_folder=str(SHARED_DIR / "static"), static_url_path="/static")
    install_converters(app)
    app.config.update(SECRET_KEY=settings.secret_key, JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=1024 * 1024)
    app.config.update(config)
    engine = config.get("ENGINE") or make_engine(settings.database_url)
    context = ServiceContext(settings, engine, make_session_factory(engine, service=service, outbox_model=outbox_model))
    app.extensions["eventi"] = context
    shared_templates = FileSystemLoader(str(SHARED_DIR / "templates"))
    app.jinja_loader = ChoiceLoader([app.jinja_loader, shared_templates] if app.jinja_loader else [shared_templates])
    api = create_api(app, title=title, description=description)
    install_error_handlers(app, page_for_http_error=http_error_page)
    install_health(app, settings, engine)
    install_web(app, settings)
    install_input_guard(app)
    trust_proxies(app, str(app.config.get("TRUSTED_PROXIES") or settings.trusted_proxies))
    if not settings.embedded and settings.ratelimit_storage_uri == "memory://":
        log.warning(
            "RATELIMIT_STORAGE_URI is memory://: each worker process counts its own rate limits and failed "
            "logins; set redis://... to count them across workers and replicas (docs/operations.md)"
        )
    install_security_headers(app, https=settings.public_base_url.lower().startswith("https://"))
    return app, api, context
