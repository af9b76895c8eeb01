"""Notifications' HTML pages; their templates stay in services/notifications/templates/pages."""

from __future__ import annotations

from pathlib import Path

TEMPLATE_FOLDER = str(Path(__file__).resolve().parents[2] / "templates" / "pages")
