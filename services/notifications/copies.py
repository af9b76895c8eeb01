"""Notifications' own copies of events, sessions and registrations, upserted
from the events that carry them. Each upsert ignores stale news (a lower
revision or release) and says what changed, so callers can tell people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from shared.db import utcnow

from .models import Attendee, EventCopy, SessionCopy

PLACEMENT = ("starts_at", "ends_at")
NOTABLE = frozenset({"moved", "re_roomed", "cancelled", "online"})


@dataclass(frozen=True)
class Placement:
    """Where and when an item was before a change (for "was ..." in mails)."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str | None

    def as_json(self) -> dict:
        return {"starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat(), "room": self.room}


@dataclass(frozen=True)
class ItemChange:
    """What changed in an event or session people hold a seat in."""

    kinds: tuple[str, ...]  # moved | re_roomed | cancelled | changed | online
    previous: Placement | None

    @property
    def notable(self) -> bool:
        """Time, place, status or join details: worth a mail and a new invitation SEQUENCE."""
        return bool(NOTABLE & set(self.kinds))

    @property
    def only_online(self) -> bool:
        """Only the join details changed: news for confirmed people alone."""
        return bool(self.kinds) and NOTABLE & set(self.kinds) == {"online"}


def apply_event(session: Session, data: dict, *, full: bool) -> tuple[EventCopy, ItemChange | None]:
    """Upsert from event.* data (`full`) or a registration event's summary.
    Returns the copy and what changed (None when new, stale or unchanged).
    A summary says nothing of the delivery mode, so full data of the
    revision a summary already brought is still news."""
    revision = int(data.get("revision") or 0)
    copy = session.get(EventCopy, data["event_id"])
    if copy is not None and _known(copy, full) >= revision:
        return copy, None  # the common case (every registration names its event): no lock taken
    if copy is not None:
        session.refresh(copy, with_for_update=True)
        if _known(copy, full) >= revision:
            return copy, None
    if copy is None:
        copy = EventCopy(
            event_id=data["event_id"],
            revision=revision,
            sequence=0,
            organisation_ids=[],
            details_revision=0,
            delivery_mode="in_person",
            join_link_lead_minutes=0,
        )
        session.add(copy)
        _copy_event(copy, data, full)
        return copy, None
    before = Placement(copy.starts_at, copy.ends_at, copy.venue)
    old = (copy.starts_at, copy.ends_at, copy.venue, copy.status, copy.title_it, copy.title_en)
    room = (copy.delivery_mode, copy.online)
    _copy_event(copy, data, full)
    copy.revision = max(copy.revision, revision)
    kinds = _event_kinds(before, copy, old)
    if room != (copy.delivery_mode, copy.online):
        kinds.append("online")
    if kinds:
        copy.updated_at = utcnow()
        if {"moved", "re_roomed", "cancelled", "online"} & set(kinds):
            copy.sequence += 1
    return copy, (ItemChange(tuple(kinds), before) if kinds else None)


def _known(copy: EventCopy, full: bool) -> int:
    return copy.details_revision if full else copy.revision


def _copy_event(copy: EventCopy, data: dict, full: bool) -> None:
    copy.slug, copy.title_it, copy.title_en = data["slug"], data["title"]["it"], data["title"].get("en")
    copy.starts_at, copy.ends_at, copy.timezone = data["starts_at"], data["ends_at"], data["timezone"]
    copy.venue, copy.url = data.get("venue") or "", data.get("url")
    if full:
        copy.status, copy.type = data["status"], data.get("type", "")
        copy.organisation_ids = list(data.get("organisation_ids") or [])
        copy.details_revision = int(data.get("revision") or 0)
        copy.delivery_mode = data.get("delivery_mode") or "in_person"
        copy.online = _room(data.get("online")) if copy.delivery_mode != "in_person" else None
        copy.join_link_lead_minutes = int(data.get("join_link_lead_minutes") or 0)


def _room(room: dict | None) -> dict | None:
    """The online room as plain JSON (only the fields of the contract)."""
    if not room:
        return None
    return {k: room.get(k) or "" for k in ("platform", "join_url", "meeting_id", "passcode", "dial_in")}


def _event_kinds(before: Placement, copy: EventCopy, old: tuple) -> list[str]:
    kinds = []
    if (before.starts_at, before.ends_at) != (copy.starts_at, copy.ends_at):
        kinds.append("moved")
    if before.room != copy.venue:
        kinds.append("re_roomed")
    if old[3] != copy.status and copy.status == "cancelled":
        kinds.append("cancelled")
    if old[4:] != (copy.title_it, copy.title_en):
        kinds.append("changed")
    return kinds


def apply_session(session: Session, event_id: str, item: dict, release: int) -> tuple[SessionCopy, ItemChange | None]:
    """Upsert one session of a `schedule.released` (full data, with
    scheduling's SEQUENCE and DTSTAMP)."""
    copy = session.get(SessionCopy, item["guid"], with_for_update=True)
    if copy is not None and copy.release >= release:
        return copy, None
    before = None if copy is None else Placement(copy.starts_at, copy.ends_at, copy.room)
    was_cancelled = copy is not None and copy.cancelled
    if copy is None:
        copy = SessionCopy(guid=item["guid"])
        session.add(copy)
    _copy_session(copy, event_id, item)
    copy.release, copy.sequence, copy.updated_at = release, item["sequence"], item["updated_at"]
    if before is None:
        return copy, None
    kinds = [k for k in item.get("changes") or () if k in ("moved", "re_roomed", "cancelled", "changed", "online")]
    if copy.cancelled and not was_cancelled and "cancelled" not in kinds:
        kinds.append("cancelled")
    previous = _previous(item.get("previous")) or before
    return copy, (ItemChange(tuple(kinds), previous) if kinds else None)


def _copy_session(copy: SessionCopy, event_id: str, item: dict) -> None:
    copy.event_id, copy.session_id = event_id, item.get("id") or item.get("session_id") or 0
    copy.status = item.get("status") or "confirmed"
    copy.kind = item.get("kind") or copy.kind or "session"
    if "requires_signup" in item:  # a workshop event's reference says it by being one
        copy.requires_signup = bool(item["requires_signup"])
    copy.title_it, copy.title_en = item["title"]["it"], item["title"].get("en")
    copy.starts_at, copy.ends_at, copy.url = item["starts_at"], item["ends_at"], item.get("url")
    room = item.get("room")
    copy.room = room.get("name") if isinstance(room, dict) else room
    if "delivery_mode" in item or "online" in item:  # a workshop event's reference carries neither
        copy.delivery_mode, copy.online = item.get("delivery_mode"), _room(item.get("online"))


def _previous(previous: dict | None) -> Placement | None:
    if not previous:
        return None
    return Placement(previous["starts_at"], previous["ends_at"], (previous.get("room") or {}).get("name"))


def ensure_session(session: Session, event_id: str, ref: dict) -> SessionCopy:
    """A workshop event's session reference, kept only when no release told
    us about the session yet (a release is newer and fuller)."""
    copy = session.get(SessionCopy, ref["guid"])
    if copy is None:
        copy = SessionCopy(guid=ref["guid"], release=0, sequence=0, updated_at=utcnow(), requires_signup=True)
        session.add(copy)
        _copy_session(copy, event_id, ref)
    return copy


def apply_attendee(session: Session, data: dict) -> Attendee | None:
    """Upsert from registration.* data; None when the news is stale or repeated."""
    attendee = session.get(Attendee, data["registration_id"], with_for_update=True)
    if attendee is not None and (attendee.revision >= data["revision"] or attendee.erased_at is not None):
        return None
    if attendee is None:
        attendee = Attendee(registration_id=data["registration_id"], join_link_revision=0)
        session.add(attendee)
    person = data["participant"]
    attendee.event_id, attendee.status, attendee.revision = data["event_id"], data["status"], data["revision"]
    attendee.email, attendee.locale = person["email"], person.get("locale") or "it"
    attendee.first_name, attendee.last_name = person["first_name"], person["last_name"]
    attendee.updated_at = utcnow()
    return attendee


def apply_join_link(session: Session, data: dict) -> Attendee | None:
    """registration.join_link_changed: keep the person's own link; None when
    the news is stale (its own revision) or the person was erased."""
    attendee = session.get(Attendee, data["registration_id"], with_for_update=True)
    if attendee is None:
        attendee = ensure_attendee(session, data, status=data["status"])
    if attendee.erased_at is not None or attendee.join_link_revision >= data["revision"]:
        return None
    attendee.join_url, attendee.join_link_revision = data.get("join_url") or None, data["revision"]
    return attendee


def ensure_attendee(session: Session, data: dict, *, status: str = "confirmed") -> Attendee:
    """A workshop or certificate event about a registration not heard of yet
    (events of one producer can still arrive out of order after retries):
    keep the person as confirmed at revision 0, so the registration's own
    event, whatever its revision, overrides it. A join link's news names
    the status it was sent in."""
    attendee = session.get(Attendee, data["registration_id"])
    if attendee is None:
        person = data["participant"]
        attendee = Attendee(
            registration_id=data["registration_id"],
            event_id=data["event_id"],
            status=status,
            revision=0,
            email=person["email"],
            first_name=person["first_name"],
            last_name=person["last_name"],
            locale=person.get("locale") or "it",
            updated_at=utcnow(),
            join_link_revision=0,
        )
        session.add(attendee)
    return attendee
