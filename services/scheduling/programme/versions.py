"""Schedule versions as pure functions: compare the work-in-progress sessions
with the last release, classify each change, and carry SEQUENCE and the
update time forward.

A session entry is a JSON-ready dict (times as UTC ISO strings):
    id, guid, kind, status ("confirmed" | "cancelled"), title {it, en},
    abstract {it, en}, language, starts_at, ends_at, room {id, name} | None,
    track {id, name {it, en}, colour} | None, type {id, name {it, en}} | None,
    speakers [{id, name, affiliation}], requires_signup, seat_limit,
    delivery_mode | None, online (the session's own room) | None,
    hours | None (certified hours; None: its duration), credits [CreditAmount],
    sequence, updated_at
Rules: SEQUENCE rises by one when the time, the room, the delivery (mode or
online room: where people go to attend) or the status changed since the
last release (RFC 5545 3.8.7.4); any other change (text, speakers, hours,
credits) is "changed" and keeps it; `updated_at` (DTSTAMP and
LAST-MODIFIED of the feeds) becomes the release time for any change and
stays as it was otherwise, so unchanged sessions keep identical bytes. The
changelog names a delivery change by mode and platform only: it is public,
and the online room is not. A
released session missing from the work in progress comes back cancelled; a
cancelled one is carried forward unchanged (feeds drop it once it is over)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.events.scheduling import CHANGE_KINDS

BOOKKEEPING = ("sequence", "updated_at", "status")
DELIVERY = ("delivery_mode", "online")
# Entries released before sessions had hours and credits lack the keys: they
# compare as these, so that upgrading changes no session.
ABSENT: dict[str, object] = {"hours": None, "credits": []}


@dataclass
class Release:
    entries: list[dict]
    changelog: dict[str, list[dict]]
    # full entries + "changes" (+ "previous", + "previous_delivery" for the changelog)
    changed: list[dict] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(self.changelog.values())


def release(previous: list[dict], current: list[dict], released_at: str) -> Release:
    """The entries of a new version and its changelog. `current` holds the
    work-in-progress entries (status confirmed; sequence and updated_at are
    ignored)."""
    before = {entry["guid"]: entry for entry in previous}
    now = {entry["guid"]: entry for entry in current}
    entries, changed = [], []
    for guid, entry in now.items():
        new_entry, changes = _carry(before.get(guid), entry, released_at)
        entries.append(new_entry)
        if changes:
            changed.append(_with_changes(new_entry, changes, before.get(guid)))
    for guid, old in before.items():
        if guid in now:
            continue
        if old["status"] == "cancelled":
            entries.append(old)
            continue
        gone = {**old, "status": "cancelled", "sequence": old["sequence"] + 1, "updated_at": released_at}
        entries.append(gone)
        changed.append(_with_changes(gone, ["cancelled"], old))
    entries.sort(key=entry_order)
    changed.sort(key=entry_order)
    return Release(entries, changelog(changed), changed)


def classify(old: dict | None, new: dict) -> list[str]:
    """The kinds of change from `old` (last release) to `new` (work in progress)."""
    if old is None or old["status"] == "cancelled":
        return ["added"]
    changes = []
    if (old["starts_at"], old["ends_at"]) != (new["starts_at"], new["ends_at"]):
        changes.append("moved")
    if _room_id(old) != _room_id(new):
        changes.append("re_roomed")
    if _delivery(old) != _delivery(new):
        changes.append("online")
    renamed_room = _room_id(old) == _room_id(new) and _room_name(old) != _room_name(new)
    if _details(old) != _details(new) or renamed_room:
        changes.append("changed")
    return changes


def changelog(changed: list[dict]) -> dict[str, list[dict]]:
    log: dict[str, list[dict]] = {kind: [] for kind in CHANGE_KINDS}
    for entry in changed:
        for kind in entry["changes"]:
            log[kind].append(_log_line(kind, entry))
    return log


def entry_order(entry: dict) -> tuple:
    return entry["starts_at"], entry["id"]


def _carry(old: dict | None, new: dict, released_at: str) -> tuple[dict, list[str]]:
    changes = classify(old, new)
    if old is None:
        return {**new, "status": "confirmed", "sequence": 0, "updated_at": released_at}, changes
    if not changes:
        return old, []
    rises = bool({"added", "moved", "re_roomed", "online"} & set(changes))  # "added" here: back from cancelled
    sequence = old["sequence"] + (1 if rises else 0)
    return {**new, "status": "confirmed", "sequence": sequence, "updated_at": released_at}, changes


def _with_changes(entry: dict, changes: list[str], old: dict | None) -> dict:
    result = {**entry, "changes": changes}
    if old is not None and ({"moved", "re_roomed"} & set(changes)):
        result["previous"] = {"starts_at": old["starts_at"], "ends_at": old["ends_at"], "room": old.get("room")}
    if old is not None and "online" in changes:
        result["previous_delivery"] = _public_delivery(old)  # for the changelog line only
    return result


def _log_line(kind: str, entry: dict) -> dict:
    line = {"id": entry["id"], "guid": entry["guid"], "title": entry["title"]}
    previous = entry.get("previous") or {}
    if kind == "moved":
        line["before"] = {"starts_at": previous["starts_at"], "ends_at": previous["ends_at"]}
        line["after"] = {"starts_at": entry["starts_at"], "ends_at": entry["ends_at"]}
    elif kind == "re_roomed":
        line["before"] = {"room": _room_name(previous)}
        line["after"] = {"room": _room_name(entry)}
    elif kind == "online":
        line["before"] = entry["previous_delivery"]
        line["after"] = _public_delivery(entry)
    elif kind in ("added", "cancelled"):
        line.update(starts_at=entry["starts_at"], ends_at=entry["ends_at"], room=_room_name(entry))
    return line


def _delivery(entry: dict) -> tuple:
    return tuple(entry.get(key) for key in DELIVERY)


def _public_delivery(entry: dict) -> dict:
    return {"delivery_mode": entry.get("delivery_mode"), "platform": (entry.get("online") or {}).get("platform")}


def _room_id(entry: dict) -> str | None:
    return (entry.get("room") or {}).get("id")


def _room_name(entry: dict) -> str | None:
    return (entry.get("room") or {}).get("name")


def _details(entry: dict) -> dict:
    """Everything but time, room and bookkeeping."""
    skip = {*BOOKKEEPING, *DELIVERY, "starts_at", "ends_at", "room", "changes", "previous"}
    return ABSENT | {key: value for key, value in entry.items() if key not in skip}
