"""Scheduling's posted forms as the API's input: the pages load them with
the same schemas (EventIn, RoomIn, ...) and call the same use cases."""

from __future__ import annotations

import re
import zoneinfo

from shared.web.forms import flag, required_text, text

from ..schemas.credits import CreditTypeIn
from ..schemas.events import EventIn
from ..schemas.programme import RoomIn, SessionIn, SpeakerIn, TrackIn

WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")


def number(form, name: str):
    """A number input as the schema wants it: empty -> None, a whole number as
    an int, anything else as typed (the schema's strict Integer refuses it,
    naming the field, rather than rounding 1.5 down to 1)."""
    value = text(form, name)
    return int(value) if value is not None and WHOLE_NUMBER.fullmatch(value) else value


ROOM_FIELDS = ("platform", "join_url", "meeting_id", "passcode", "dial_in")
# The use cases name the whole room ("online"); the form shows it by the platform.
ONLINE_ERRORS = {"online": "online_platform"}


CREDIT_PREFIX = "credit_"  # one amount input per credit type: credit_<type id>


def credits_input(form) -> list[dict]:
    """The amounts typed in (empty: none of that type), a decimal comma
    read as a point; anything else goes to the schema as typed, which
    refuses it naming `credits`."""
    amounts = []
    for name in form:
        value = text(form, name) if name.startswith(CREDIT_PREFIX) else None
        if value is not None:
            amount = value.replace(",", ".")
            amounts.append({"type_id": name[len(CREDIT_PREFIX) :], "amount": amount})
    return amounts


def credits_form(credits) -> dict:
    """Granted credits as the form's values."""
    return {f"{CREDIT_PREFIX}{row.credit_type_id}": decimal(row.amount) for row in credits}


def decimal(value: float | None) -> str:
    """1.5 -> "1.5", 3.0 -> "3", None -> "" (a number input's value)."""
    return "" if value is None else f"{value:g}"


def credit_errors(errors: dict[str, str]) -> dict[str, str]:
    """A credit's error (credits_0_amount) is shown on the credits' fieldset."""
    merged: dict[str, str] = {}
    for name, message in errors.items():
        merged.setdefault("credits" if name.startswith("credits_") else name, message)
    return merged


def credit_type_input(form, *, partial: bool = False) -> dict:
    payload = {
        "name": {"it": required_text(form, "name_it"), "en": text(form, "name_en")},
        "unit": (form.get("unit") or "").strip(),
    }
    return (CreditTypeIn(partial=True) if partial else CreditTypeIn()).load(payload)


def online_input(form, mode: str | None) -> dict | None:
    """The room typed in, when the mode is online or hybrid (or, for a
    session, as the event); an in-person choice leaves the fields unread, so
    switching an event to in person needs no emptying of them."""
    if mode == "in_person" or not (text(form, "online_platform") or text(form, "online_join_url")):
        return None
    room = {name: text(form, f"online_{name}") for name in ROOM_FIELDS}
    return {name: value for name, value in room.items() if value is not None}


def room_form(row) -> dict:
    room = row.online or {}
    return {f"online_{name}": room.get(name, "") for name in ROOM_FIELDS}


def event_input(form, *, with_organisations: bool = True) -> dict:
    payload = {
        "title": {"it": required_text(form, "title_it"), "en": text(form, "title_en")},
        "description": {"it": (form.get("description_it") or "").strip(), "en": text(form, "description_en")},
        "type": form.get("type") or None,
        "starts_at": text(form, "starts_at"),
        "ends_at": text(form, "ends_at"),
        "timezone": form.get("timezone") or "Europe/Rome",
        "venue": (form.get("venue") or "").strip(),
        "capacity": number(form, "capacity"),
        "registration": {
            "opens_at": text(form, "registration_opens_at"),
            "closes_at": text(form, "registration_closes_at"),
            "approval_required": flag(form, "registration_approval_required"),
        },
        "delivery_mode": form.get("delivery_mode") or "in_person",
        "online": online_input(form, form.get("delivery_mode") or "in_person"),
        "credits": credits_input(form),
    }
    if text(form, "join_link_lead_minutes") is not None:
        payload["join_link_lead_minutes"] = number(form, "join_link_lead_minutes")
    if text(form, "slug"):
        payload["slug"] = text(form, "slug")
    if with_organisations and form.getlist("organisation_ids"):
        payload["organisation_ids"] = form.getlist("organisation_ids")
    return EventIn().load(payload)


def event_form(event) -> dict:
    """An event as the form's values (local times for datetime-local inputs)."""

    def local(moment):
        return moment.astimezone(zoneinfo.ZoneInfo(event.timezone)).strftime("%Y-%m-%dT%H:%M") if moment else ""

    return {
        "title_it": event.title_it,
        "title_en": event.title_en or "",
        "description_it": event.description_it,
        "description_en": event.description_en or "",
        "type": event.type,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "timezone": event.timezone,
        "venue": event.venue,
        "capacity": "" if event.capacity is None else event.capacity,
        "registration_opens_at": local(event.registration_opens_at),
        "registration_closes_at": local(event.registration_closes_at),
        "registration_approval_required": event.approval_required,
        "delivery_mode": event.delivery_mode,
        "join_link_lead_minutes": event.join_link_lead_minutes,
        **room_form(event),
        **credits_form(event.credits),
    }


def room_input(form) -> dict:
    return RoomIn().load(
        {
            "name": required_text(form, "name"),
            "capacity": number(form, "capacity"),
            "position": number(form, "position") or 0,
        }
    )


def track_input(form) -> dict:
    return TrackIn().load(
        {
            "name": {"it": required_text(form, "name_it"), "en": text(form, "name_en")},
            "colour": form.get("colour") or "#336699",
        }
    )


def speaker_input(form) -> dict:
    return SpeakerIn().load(
        {
            "name": required_text(form, "name"),
            "affiliation": (form.get("affiliation") or "").strip(),
            "bio": {"it": (form.get("bio_it") or "").strip(), "en": text(form, "bio_en")},
            "email": text(form, "email"),
        }
    )


def session_input(form) -> dict:
    """Day + start/end times (local to the event) into the API's SessionIn."""
    day = (form.get("day") or "").strip()
    starts, ends = text(form, "start"), text(form, "end")
    payload = {
        "kind": form.get("kind") or "session",
        "title": {"it": required_text(form, "title_it"), "en": text(form, "title_en")},
        "abstract": {"it": (form.get("abstract_it") or "").strip(), "en": text(form, "abstract_en")},
        "language": form.get("language") or "it",
        "room_id": text(form, "room_id"),
        "track_id": text(form, "track_id"),
        "speaker_ids": form.getlist("speaker_ids"),
        "starts_at": f"{day}T{starts}" if day and starts else None,
        "ends_at": f"{day}T{ends}" if day and ends else None,
        "requires_signup": flag(form, "requires_signup"),
        "seat_limit": number(form, "seat_limit"),
        "delivery_mode": form.get("delivery_mode") or None,
        "online": online_input(form, form.get("delivery_mode") or None),
        "hours": (text(form, "hours") or "").replace(",", ".") or None,
        "credits": credits_input(form),
    }
    return SessionIn().load(payload)


def move_input(form) -> dict:
    """A move (day, start, end, room) as a partial SessionIn."""
    day, starts, ends = (form.get(name, "").strip() for name in ("day", "start", "end"))
    payload = {
        "room_id": text(form, "room_id"),
        "starts_at": f"{day}T{starts}" if day and starts else None,
        "ends_at": f"{day}T{ends}" if day and ends else None,
    }
    return SessionIn(partial=True).load(payload)


def session_form(row, timezone: str) -> dict:
    zone = zoneinfo.ZoneInfo(timezone)
    start, end = row.starts_at.astimezone(zone), row.ends_at.astimezone(zone)
    return {
        "kind": row.kind,
        "title_it": row.title_it,
        "title_en": row.title_en or "",
        "abstract_it": row.abstract_it,
        "abstract_en": row.abstract_en or "",
        "language": row.language,
        "room_id": row.room_id or "",
        "track_id": row.track_id or "",
        "speaker_ids": row.speaker_ids,
        "day": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "requires_signup": row.requires_signup,
        "seat_limit": "" if row.seat_limit is None else row.seat_limit,
        "delivery_mode": row.delivery_mode or "",
        **room_form(row),
        "hours": decimal(row.hours),
        **credits_form(row.credits),
    }
