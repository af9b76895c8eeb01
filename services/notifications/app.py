"""create_app() for the notifications service."""

from __future__ import annotations

from shared.web.app import build_app

from . import (
    api,
    feed_http,
    pages,
    pages_organiser,  # issue 6: organiser pages
)
from .models import Outbox


def create_app(config: dict | None = None):
    app, rest, _context = build_app(
        __name__,
        "notifications",
        outbox_model=Outbox,
        config=config,
        title="Eventi notifications API",
        description="E-mails, invitations, the delivery log and agenda feeds.",
    )
    rest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(feed_http.bp)
    app.register_blueprint(pages_organiser.bp)  # issue 6: organiser pages
    return app
