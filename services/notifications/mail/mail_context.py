"""The values every mail template may use, derived once in Python (dates in
the event's time zone, titles in the reader's language). Templates are
strict: every name below always exists, None when it does not apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shared.formatting import MONTHS, format_when, local

OPTIONAL = (
    "manage_url",
    "waitlist_position",
    "reason",
    "feed",
    "workshop",
    "hours",
    "deadline",
    "join",
    "online",
    "message_subject",  # an organiser's message to participants (participant_message)
    "message_body",
)


@dataclass(frozen=True)
class Change:
    """One changed item in a schedule mail."""

    title: str
    when: str | None
    room: str | None
    previous_when: str | None = None
    previous_room: str | None = None
    moved: bool = False
    re_roomed: bool = False
    cancelled: bool = False
    changed: bool = False
    online: bool = False  # the join details changed (mode, room or the person's own link)


def localized(text: dict | None, language: str) -> str:
    text = text or {}
    return (text.get("en") if language == "en" else None) or text.get("it") or ""


def format_moment(moment: dt.datetime, timezone: str, language: str) -> str:
    """'14 dicembre 2026, 09:30' in the event's zone."""
    value = local(moment, timezone)
    months = MONTHS.get(language, MONTHS["it"])
    return f"{value.day} {months[value.month - 1]} {value.year}, {value:%H:%M}"


def session_view(session: dict | None, timezone: str, language: str) -> dict | None:
    """A workshop as templates show it: title, when, room."""
    if not session:
        return None
    return {
        "title": localized(session.get("title"), language),
        "when": format_when(session["starts_at"], session["ends_at"], timezone, language),
        "room": session.get("room") or "",
    }


def base_context(
    language: str,
    *,
    participant: dict,
    event: dict,
    has_invitation: bool = False,
    changes: list[Change] | tuple = (),
    offer_expires_at: dt.datetime | None = None,
    **extra,
) -> dict:
    timezone = event.get("timezone") or "Europe/Rome"
    values = {name: extra.pop(name, None) for name in OPTIONAL}
    values.update(extra)
    if offer_expires_at is not None:
        values["deadline"] = format_moment(offer_expires_at, timezone, language)
    values.update(
        lang=language,
        participant=participant,
        event=event,
        has_invitation=has_invitation,
        name=f"{participant.get('first_name', '')} {participant.get('last_name', '')}".strip(),
        title=localized(event.get("title"), language),
        timezone=timezone,
        when=format_when(event["starts_at"], event["ends_at"], timezone, language),
        venue=event.get("venue") or "",
        changes=list(changes),
    )
    return values
