"""create_app() for the scheduling service: the composition root. It builds
the configuration and the schedule cache once and hands them to the web layer."""

from __future__ import annotations

from flask import Flask

from shared.web.app import build_app

from . import web
from .config import load_config
from .models import Outbox
from .schedule_cache import ScheduleCache
from .web import login_throttle


def create_app(flask_config: dict | None = None) -> Flask:
    """`flask_config` overrides Flask's config (tests pass SETTINGS, CLOCK, ...);
    SCHEDULE_LOOKUP_TTL there overrides the environment's."""
    app, rest, context = build_app(
        __name__,
        "scheduling",
        outbox_model=Outbox,
        config=flask_config,
        title="Eventi scheduling API",
        description="Organisations, organisers, events and programmes.",
    )
    config = load_config(context.settings)
    if "SCHEDULE_LOOKUP_TTL" in app.config:
        config = config.with_options(schedule_lookup_ttl=float(app.config["SCHEDULE_LOOKUP_TTL"]))
    context.config = config
    login_throttle.install(app, config)
    web.register(app, rest, ScheduleCache(context.session_factory, lookup_ttl=config.schedule_lookup_ttl))
    return app
