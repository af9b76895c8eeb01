"""create_app() for the notifications service: the composition root. It
builds the service's NotifyConfig once (or takes the one given as
NOTIFY_CONFIG) and keeps it as the context's `config`."""

from __future__ import annotations

from flask import Flask

from shared.web.app import build_app

from . import web
from .config import NotifyConfig, load_config
from .models import Outbox


def create_app(flask_config: dict | None = None) -> Flask:
    """`flask_config` overrides Flask's config (tests pass SETTINGS, NOTIFY_CONFIG, ...)."""
    options = dict(flask_config or {})
    given: NotifyConfig | None = options.pop("NOTIFY_CONFIG", None)
    app, rest, context = build_app(
        __name__,
        "notifications",
        outbox_model=Outbox,
        config=options,
        title="Eventi notifications API",
        description="E-mails, invitations, the delivery log and agenda feeds.",
    )
    context.config = given or load_config(context.settings)
    web.register(app, rest)
    return app
