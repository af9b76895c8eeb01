"""How a confirmed person joins an online or hybrid event or session: the
room resolved from notifications' copies (a session's own mode and room, or
the event's) with the person's own link in place of the shared one. The
room is confidential: callers ask for it only for people holding a seat,
and only for a REQUEST (a CANCEL never carries it)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Attendee, EventCopy, SessionCopy

ONLINE_MODES = ("online", "hybrid")
PLATFORM_NAMES = {
    "zoom": "Zoom",
    "teams": "Microsoft Teams",
    "webex": "Webex",
    "meet": "Google Meet",
    "jitsi": "Jitsi Meet",
}
OTHER_PLATFORM = {"it": "Riunione online", "en": "Online meeting"}


def platform_name(platform: str, language: str) -> str:
    """The platform in words, as a label and in "online (Teams)"."""
    return PLATFORM_NAMES.get(platform) or OTHER_PLATFORM.get(language, OTHER_PLATFORM["it"])


@dataclass(frozen=True)
class JoinDetails:
    mode: str  # online | hybrid
    platform: str
    platform_name: str
    join_url: str
    meeting_id: str = ""
    passcode: str = ""
    dial_in: str = ""
    personal: bool = False  # the person's own link, not the shared one

    def as_context(self) -> dict:
        """For the mail templates."""
        return {
            "mode": self.mode,
            "platform": self.platform_name,
            "url": self.join_url,
            "meeting_id": self.meeting_id,
            "passcode": self.passcode,
            "dial_in": self.dial_in,
            "personal": self.personal,
        }


def join_details(mode: str | None, room: dict | None, personal_url: str | None, language: str) -> JoinDetails | None:
    """None for an in-person item, or one whose room is not known yet."""
    if mode not in ONLINE_MODES or not room or not room.get("join_url"):
        return None
    return JoinDetails(
        mode=mode,
        platform=room.get("platform") or "other",
        platform_name=platform_name(room.get("platform") or "other", language),
        join_url=personal_url or room["join_url"],
        meeting_id=room.get("meeting_id") or "",
        passcode=room.get("passcode") or "",
        dial_in=room.get("dial_in") or "",
        personal=bool(personal_url),
    )


def for_event(event: EventCopy | None, attendee: Attendee | None) -> JoinDetails | None:
    """The event's room for a confirmed person (None for anyone else)."""
    if event is None or attendee is None or not attendee.confirmed:
        return None
    return join_details(event.delivery_mode, event.online, attendee.join_url, attendee.locale)


def for_session(workshop: SessionCopy, event: EventCopy | None, attendee: Attendee | None) -> JoinDetails | None:
    """A session's room (`session.delivery_mode or event.delivery_mode`,
    `session.online or event.online`). The person's own link belongs to the
    event's room, so it applies only where the session uses that room."""
    if event is None or attendee is None or not attendee.confirmed:
        return None
    mode = workshop.delivery_mode or event.delivery_mode
    personal = attendee.join_url if workshop.online is None else None
    return join_details(mode, workshop.online or event.online, personal, attendee.locale)


def delivery_note(event: EventCopy | None, language: str, starts_soon_minutes: int) -> dict | None:
    """How a confirmed person of an online or hybrid event will receive the
    link (for the confirmation mail): never the link itself."""
    if event is None or event.delivery_mode not in ONLINE_MODES:
        return None
    platform = (event.online or {}).get("platform") or "other"
    return {
        "mode": event.delivery_mode,
        "platform": platform_name(platform, language),
        "page_minutes": event.join_link_lead_minutes,
        "mail_minutes": starts_soon_minutes,
    }


def uses_event_room(workshop: SessionCopy) -> bool:
    """A session whose join details follow the event's room (and so change with it)."""
    return workshop.online is None and workshop.delivery_mode != "in_person"
