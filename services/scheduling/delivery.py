"""How an event and its sessions are delivered: in person, online or hybrid,
and the rules that keep a mode and its online room consistent. A session
without a mode or room of its own is delivered as its event
(`session.delivery_mode or event.delivery_mode`, `session.online or
event.online`, as in shared/events/scheduling.py).

The room (join link, meeting id, passcode, dial-in) is confidential: what the
public may know of a delivery is `public_delivery`, the mode and platform."""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import Unprocessable
from shared.events.scheduling import DELIVERY_MODES, PLATFORMS

ONLINE_MODES = ("online", "hybrid")
# Platform names as people say them; "other" has no name worth printing.
PLATFORM_NAMES = {
    "zoom": "Zoom",
    "teams": "Microsoft Teams",
    "webex": "Webex",
    "meet": "Google Meet",
    "jitsi": "Jitsi",
    "other": None,
}
assert set(PLATFORM_NAMES) == set(PLATFORMS)


@dataclass(frozen=True)
class Delivery:
    """A resolved delivery: the mode and the room it is joined through."""

    mode: str
    room: dict | None

    @property
    def platform(self) -> str | None:
        return self.room["platform"] if self.room and self.mode in ONLINE_MODES else None


def resolve(own_mode: str | None, own_room: dict | None, event_mode: str, event_room: dict | None) -> Delivery:
    """A session's delivery: its own mode and room, else the event's."""
    return Delivery(own_mode or event_mode, own_room or event_room)


def public_delivery(mode: str, room: dict | None) -> dict:
    """What the public may know: the mode and the platform, never the room."""
    return {"delivery_mode": mode, "platform": Delivery(mode, room).platform}


def check_event_delivery(mode: str, room: dict | None) -> None:
    """An online or hybrid event needs its room; an in-person one has none."""
    if mode not in DELIVERY_MODES:
        raise Unprocessable(f"must be one of {', '.join(DELIVERY_MODES)}", field="delivery_mode")
    if mode in ONLINE_MODES and room is None:
        raise Unprocessable(f"an {mode} event needs an online room (platform and join_url)", field="online")
    if mode == "in_person" and room is not None:
        raise Unprocessable("an in-person event has no online room", field="online")


def check_session_delivery(own_mode: str | None, own_room: dict | None, event_mode: str, event_room: dict | None):
    """A session online or hybrid (of its own or as its event) is joined
    through its room or the event's; one in person has no room of its own."""
    delivery = resolve(own_mode, own_room, event_mode, event_room)
    if delivery.mode in ONLINE_MODES and delivery.room is None:
        raise Unprocessable(f"an {delivery.mode} session needs an online room: its own or the event's", field="online")
    if delivery.mode == "in_person" and own_room is not None:
        raise Unprocessable("an in-person session has no online room", field="online")


def sessions_left_without_room(sessions, event_mode: str, event_room: dict | None) -> list:
    """The active sessions an event change would leave online without a room."""
    return [
        row
        for row in sessions
        if (delivery := resolve(row.delivery_mode, row.online, event_mode, event_room)).mode in ONLINE_MODES
        and delivery.room is None
    ]


# How pages, feeds and exports say a delivery, in each page language.
LABELS = {
    "it": {"in_person": "In presenza", "online": "Online", "hybrid": "Ibrido: {place} e online", "other": "Altro"},
    "en": {"in_person": "In person", "online": "Online", "hybrid": "Hybrid: {place} and online", "other": "Other"},
}


def platform_name(platform: str, lang: str = "it") -> str:
    """The platform as people call it ("other": Altro / Other)."""
    return PLATFORM_NAMES.get(platform) or LABELS.get(lang, LABELS["it"])["other"]


def delivery_label(mode: str, platform: str | None, place: str, lang: str = "it") -> str:
    """ "In presenza", "Online (Microsoft Teams)", "Ibrido: Aula Magna e online (Zoom)"."""
    labels = LABELS.get(lang, LABELS["it"])
    if mode not in ONLINE_MODES:
        return labels["in_person"]
    name = PLATFORM_NAMES.get(platform or "")
    text = labels[mode].format(place=place or "—")
    return f"{text} ({name})" if name else text
