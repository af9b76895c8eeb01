"""Registration's web layer, the only part of the service that imports Flask:
`register` adds every blueprint to the app, answers a form's invalid answers
as a JSON error naming each field, and puts the rate limits on the public
blueprints."""

from __future__ import annotations

from flask import Flask, jsonify
from flask_smorest import Api

from shared.web.api import error_body

from ..forms import FormInvalid
from .api import certificates as certificates_api
from .api import checkin as checkin_api
from .api import dashboards as dashboards_api
from .api import form_config, notices, online, public, self_service
from .api import organiser as organiser_api
from .api import records as records_api
from .api import surveys as surveys_api
from .pages import badges as badge_pages
from .pages import certificates as certificate_pages
from .pages import change, participant
from .pages import checkin as checkin_pages
from .pages import dashboards as dashboard_pages
from .pages import form_builder as form_builder_pages
from .pages import messages as message_pages
from .pages import online as online_pages
from .pages import organiser as organiser_pages
from .pages import privacy as privacy_pages
from .pages import records as record_pages
from .pages import surveys as survey_pages
from .ratelimit import install as install_rate_limits


def register(app: Flask, rest: Api) -> None:
    """The JSON blueprints on `rest`, the pages on `app`, and the rate limits."""
    app.register_error_handler(FormInvalid, _form_invalid)
    for blueprint in (
        public.blp,
        public.links_blp,
        self_service.blp,
        organiser_api.blp,
        form_config.blp,
        checkin_api.blp,
        online.blp,
        notices.blp,
        certificates_api.blp,
        certificates_api.self_blp,
        surveys_api.blp,
        records_api.blp,
        records_api.links_blp,
        records_api.organisers_blp,
        dashboards_api.blp,
    ):
        rest.register_blueprint(blueprint)
    for page_blueprint in (
        participant.bp,
        participant.links_bp,
        participant.self_bp,
        change.bp,
        organiser_pages.bp,
        checkin_pages.bp,
        online_pages.bp,
        privacy_pages.bp,
        privacy_pages.organiser_bp,
        form_builder_pages.bp,
        message_pages.bp,
        certificate_pages.bp,
        certificate_pages.self_bp,
        survey_pages.self_bp,
        survey_pages.organiser_bp,
        record_pages.links_bp,
        record_pages.self_bp,
        record_pages.organiser_bp,
        dashboard_pages.bp,
        badge_pages.bp,
    ):
        app.register_blueprint(page_blueprint)
    install_rate_limits(
        app,
        registering=[public.blp, participant.bp],
        links=[public.links_blp, participant.links_bp, records_api.links_blp, record_pages.links_bp],
        self_service=[
            self_service.blp,
            participant.self_bp,
            change.bp,
            survey_pages.self_bp,
            records_api.blp,
            record_pages.self_bp,
            certificates_api.self_blp,
            certificate_pages.self_bp,
        ],
    )


def _form_invalid(exc: FormInvalid):
    body = error_body(exc.status, "Invalid input: see errors.")
    body["errors"] = {"json": {field: [message] for field, message in exc.errors.items()}}
    return jsonify(body), exc.status
