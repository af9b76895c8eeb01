"""create_app() for the scheduling service."""

from __future__ import annotations

from shared.webapp import build_app

from . import api, pages
from .models import Outbox


def create_app(config: dict | None = None):
    app, rest, _context = build_app(__name__, "scheduling", outbox_model=Outbox, config=config,
                                    title="Eventi scheduling API",
                                    description="Organisations, organisers, events and programmes.")
    rest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
    return app
