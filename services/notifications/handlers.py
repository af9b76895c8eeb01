"""Notifications' reactions to events on the bus."""

from __future__ import annotations

from shared.config import Settings

from . import services


def build_handlers(settings: Settings) -> dict:
    def on_registration(session, data, envelope=None):
        services.registration_changed(session, data, settings)

    return {f"registration.{verb}": on_registration for verb in ("confirmed", "waitlisted", "cancelled")}

