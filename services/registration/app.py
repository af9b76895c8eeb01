"""create_app() for the registration service."""

from __future__ import annotations

from flask import jsonify

from shared.web.api import error_body
from shared.web.app import build_app
from shared.web.pages import html_errors

from . import (  # issue 6: web pages
    api,
    api_checkin,
    api_config,
    api_organiser,
    api_self,
    pages,
    pages_change,
    pages_checkin,
    pages_organiser,
    ratelimit,
)
from .forms import FormInvalid
from .models import Outbox

for _page_blueprint in (pages.bp, pages.links_bp, pages.self_bp):  # issue 6: HTML error pages
    html_errors(_page_blueprint)
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
    for blueprint in (api.blp, api.links_blp, api_self.blp, api_organiser.blp, api_config.blp, api_checkin.blp):
        rest.register_blueprint(blueprint)
    for blueprint in (pages.bp, pages.links_bp, pages.self_bp):
        app.register_blueprint(blueprint)
    for blueprint in (pages_change.bp, pages_organiser.bp, pages_checkin.bp):  # issue 6: web pages
        app.register_blueprint(blueprint)
    app.register_error_handler(FormInvalid, _form_invalid)
    ratelimit.install(
        app,
        registering=[api.blp, pages.bp],
        links=[api.links_blp, pages.links_bp],
        self_service=[api_self.blp, pages.self_bp],
    )
    return app


def _form_invalid(exc: FormInvalid):
    body = error_body(exc.status, "Invalid input: see errors.")
    body["errors"] = {"json": {field: [message] for field, message in exc.errors.items()}}
    return jsonify(body), exc.status
