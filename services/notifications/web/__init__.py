"""Notifications over HTTP: the JSON API, the agenda feed and the pages.
The only package of the service that imports Flask (besides app.py)."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from .api import feeds, rest, webhooks
from .pages import accessibility, certificates, organiser, participant, unsubscribe
from .pages import webhooks as webhook_pages


def register(app: Flask, api: Api) -> None:
    api.register_blueprint(rest.blp)
    api.register_blueprint(webhooks.blp)
    app.register_blueprint(participant.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(organiser.bp)
    app.register_blueprint(certificates.bp)
    app.register_blueprint(accessibility.bp)
    app.register_blueprint(unsubscribe.bp)
    app.register_blueprint(unsubscribe.one_click_bp)
    app.register_blueprint(webhook_pages.bp)
