"""Join details in a calendar item, for every kind of client: RFC 7986
CONFERENCE properties (the video link, and the dial-in when it is a phone
number) for clients that read them, and the same facts in LOCATION and
DESCRIPTION for the many that do not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from icalendar import vUri

from ..online_rooms import JoinDetails

# A dial-in a phone can call: a tel: URI, or a number with the usual separators
# (RFC 3966 allows - . ( ) as visual separators, not spaces), then the pauses
# and access code the platforms add (",,123456#", as in RFC 7986's examples).
PHONE_NUMBER = re.compile(r"^\+?[0-9(][0-9 ().\-/]{4,}[0-9](?:,+[0-9*#]+)*$")
WORDS = {
    "it": {"join": "Collegamento", "meeting_id": "ID riunione", "passcode": "Passcode", "dial_in": "Da telefono"},
    "en": {"join": "Join", "meeting_id": "Meeting ID", "passcode": "Passcode", "dial_in": "By phone"},
}
PHONE_LABEL = {"it": "Da telefono", "en": "By phone"}


@dataclass(frozen=True)
class ConferenceLink:
    """One CONFERENCE property (hashable: it is part of a cached invitation key)."""

    uri: str
    features: tuple[str, ...]
    label: str

    def as_property(self) -> vUri:
        return vUri(self.uri, params={"VALUE": "URI", "FEATURE": list(self.features), "LABEL": self.label})


def conference_links(join: JoinDetails, language: str) -> tuple[ConferenceLink, ...]:
    links = [ConferenceLink(join.join_url, ("VIDEO", "AUDIO"), join.platform_name)]
    phone = tel_uri(join.dial_in)
    if phone:
        links.append(ConferenceLink(phone, ("PHONE",), PHONE_LABEL.get(language, PHONE_LABEL["it"])))
    return tuple(links)


def tel_uri(dial_in: str) -> str | None:
    """A tel: URI for a dial-in that is a phone number; None for free text."""
    text = dial_in.strip()
    if text.lower().startswith("tel:"):
        return "tel:" + text[4:].strip()
    if PHONE_NUMBER.match(text):
        return "tel:" + re.sub(r"[ /]+", "-", text)
    return None


def location_with_room(join: JoinDetails, venue: str) -> str:
    """ "Online (Microsoft Teams): <link>" for an online item, "<venue> / online:
    <link>" for a hybrid one (the venue comes first: people in the room need it)."""
    if join.mode == "hybrid" and venue:
        return f"{venue} / online: {join.join_url}"
    return f"Online ({join.platform_name}): {join.join_url}"


def description_with_room(join: JoinDetails, description: str, language: str) -> str:
    words = WORDS.get(language, WORDS["it"])
    lines = [f"{words['join']} ({join.platform_name}): {join.join_url}"]
    for name in ("meeting_id", "passcode", "dial_in"):
        value = getattr(join, name)
        if value:
            lines.append(f"{words[name]}: {value}")
    return "\n".join(lines) + (f"\n\n{description}" if description else "")
