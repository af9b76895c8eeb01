"""What scheduling's web modules take from the running app: its typed
configuration and its schedule cache, both built once by create_app."""

from __future__ import annotations

from flask import current_app

from shared.web.context import ctx

from ..config import SchedulingConfig
from ..schedule_cache import ScheduleCache

CACHE = "schedule_cache"


def config() -> SchedulingConfig:
    return ctx().config


def schedule_cache() -> ScheduleCache:
    return current_app.extensions[CACHE]
