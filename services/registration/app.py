"""create_app() for the registration service: the composition root."""

from __future__ import annotations

from shared.web.app import build_app

from . import web
from .models import Outbox
from .web import ratelimit

MAX_REQUEST_BYTES = 128 * 1024  # a registration, a form definition: far below this


def create_app(config: dict | None = None):
    config = dict(config or {})
    config.setdefault("MAX_CONTENT_LENGTH", MAX_REQUEST_BYTES)
    config = {**ratelimit.settings_from_env(config), **config}
    app, rest, context = build_app(
        __name__,
        "registration",
        outbox_model=Outbox,
        config=config,
        title="Eventi registration API",
        description="Registrations, forms, workshops, waiting lists, offers, approval, "
        "secret links, check-in, attendance and exports.",
    )
    context.session_factory.kw["info"]["public_base_url"] = context.settings.public_base_url
    web.register(app, rest)
    return app
