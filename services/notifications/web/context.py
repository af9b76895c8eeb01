"""What notifications's web modules take from the running app: its typed
configuration, built once by create_app."""

from __future__ import annotations

from shared.web.context import ctx

from ..config import NotifyConfig


def config() -> NotifyConfig:
    return ctx().config
