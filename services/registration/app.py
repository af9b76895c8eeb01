"""create_app() for the registration service: the composition root. It builds
the configuration once (`context.config`) and hands the app to the web layer."""

from __future__ import annotations

from flask import Flask

from shared.config import load_settings
from shared.web.app import build_app
from shared.web.ratelimit import flask_options as rate_limit_options

from . import web
from .config import load_config
from .models import Outbox

MAX_REQUEST_BYTES = 128 * 1024  # a registration, a form definition: far below this


def create_app(flask_config: dict | None = None) -> Flask:
    """`flask_config` overrides Flask's config (tests pass SETTINGS, the rate limits, ...)."""
    flask_config = dict(flask_config or {})
    settings = flask_config.pop("SETTINGS", None) or load_settings("registration")
    config = load_config(settings)
    flask_config.setdefault("MAX_CONTENT_LENGTH", MAX_REQUEST_BYTES)
    app, rest, context = build_app(
        __name__,
        "registration",
        outbox_model=Outbox,
        config={**rate_limit_options(config.rate_limits, flask_config), **flask_config, "SETTINGS": settings},
        title="Eventi registration API",
        description="Registrations, forms, workshops, waiting lists, offers, approval, "
        "secret links, check-in, attendance and exports.",
    )
    context.config = config
    web.register(app, rest)
    return app
