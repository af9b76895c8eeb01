"""Public URLs of an event and its schedule outputs, and the slugs in them.
Calendar clients and conference apps subscribe to these addresses, so they
never change."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/r?cid="


def event_url(public_base_url: str, slug: str) -> str:
    return f"{public_base_url}/scheduling/events/{slug}"


def feed_links(ics_url: str) -> dict[str, str]:
    """The https URL to copy, webcal:// for Apple and Outlook, and Google's
    add-by-URL link (it wants the webcal:// form: the https one fails)."""
    webcal = "webcal://" + ics_url.split("://", 1)[1]
    return {"ical": ics_url, "webcal": webcal, "google": GOOGLE_ADD_BY_URL + quote(webcal, safe="")}


def event_links(public_base_url: str, slug: str) -> dict[str, str]:
    page = event_url(public_base_url, slug)
    return {
        "page": page,
        **feed_links(f"{page}/schedule.ics"),
        "frab_xml": f"{page}/schedule.xml",
        "c3voc_json": f"{page}/schedule.json",
        "schedule": f"{public_base_url}/scheduling/api/v1/events/{slug}/schedule",
    }


def filtered_feed_links(public_base_url: str, slug: str, kind: str, key: str) -> dict[str, str]:
    """Feeds of one room, track or speaker."""
    return feed_links(f"{event_url(public_base_url, slug)}/{kind}s/{key}/schedule.ics")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "evento"
