"""create_app() for the scheduling service."""

from __future__ import annotations

from shared.web.app import build_app

from . import api, api_programme, feeds_http, pages, pages_auth, pages_events, pages_programme, pages_schedule
from .models import Outbox


def create_app(config: dict | None = None):
    app, rest, _context = build_app(
        __name__,
        "scheduling",
        outbox_model=Outbox,
        config=config,
        title="Eventi scheduling API",
        description="Organisations, organisers, events and programmes.",
    )
    rest.register_blueprint(api.blp)
    rest.register_blueprint(api_programme.blp)
    for blueprint in (pages.bp, pages_auth.bp, pages_events.bp, pages_programme.bp, pages_schedule.bp):
        app.register_blueprint(blueprint)
    feeds_http.init_app(app)
    return app
