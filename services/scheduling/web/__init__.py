"""Scheduling's web layer, the only part of the service that imports Flask:
the JSON API (`api/`), the public schedule files (`api/feeds.py`), the HTML
pages (`pages/`), their schemas and presenters. `register` wires it into the
app that create_app builds."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from ..schedule_cache import ScheduleCache
from .api import credits as credits_api
from .api import events as events_api
from .api import feeds
from .api import organisations as organisations_api
from .api import programme as programme_api
from .context import CACHE
from .pages import auth, public, schedule
from .pages import credits as credit_pages
from .pages import events as event_pages
from .pages import organisations as organisation_pages
from .pages import programme as programme_pages


def register(app: Flask, rest: Api, cache: ScheduleCache) -> None:
    """The blueprints, and the schedule cache the feeds answer from."""
    app.extensions[CACHE] = cache
    rest.register_blueprint(events_api.blp)
    rest.register_blueprint(programme_api.blp)
    rest.register_blueprint(credits_api.blp)
    rest.register_blueprint(organisations_api.blp)
    for blueprint in (
        public.bp,
        auth.bp,
        event_pages.bp,
        programme_pages.bp,
        schedule.bp,
        organisation_pages.bp,
        credit_pages.bp,
        feeds.bp,
    ):
        app.register_blueprint(blueprint)
