"""The online room columns that events and sessions share. The room is
confidential: it leaves scheduling only in organisers' API answers and in
`event.*` / `schedule.released` messages, never on a public page, feed,
export or public API answer."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

ROOM_FIELDS = ("platform", "join_url", "meeting_id", "passcode", "dial_in")


class OnlineRoomColumns:
    """`online_platform` NULL: no room of its own."""

    online_platform: Mapped[str | None] = mapped_column(String(20))
    online_join_url: Mapped[str | None] = mapped_column(String(2000))
    online_meeting_id: Mapped[str | None] = mapped_column(String(100))
    online_passcode: Mapped[str | None] = mapped_column(String(100))
    online_dial_in: Mapped[str | None] = mapped_column(Text)

    @property
    def online(self) -> dict | None:
        """The room as the event contract's OnlineRoom, or None."""
        if not self.online_platform:
            return None
        return {name: getattr(self, f"online_{name}") or "" for name in ROOM_FIELDS}

    def set_online(self, room: dict | None) -> None:
        for name in ROOM_FIELDS:
            value = (room or {}).get(name)
            setattr(self, f"online_{name}", value or None)
