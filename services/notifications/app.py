"""create_app() for the notifications service."""

from __future__ import annotations

from shared.webapp import build_app

from . import api, pages
from .models import Outbox


def create_app(config: dict | None = None):
    app, rest, _context = build_app(__name__, "notifications", outbox_model=Outbox, config=config,
                                    title="Eventi notifications API",
                                    description="E-mails, invitations and the delivery log.")
    rest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
    return app
