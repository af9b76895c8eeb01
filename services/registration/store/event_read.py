"""The event as a new registration reads it: one Core statement that passes
the seat gate (PostgreSQL), reads the columns registering needs and counts
who waits ahead in line. Registering is the busiest path, and there loading
a full mapped Listing cost more CPU than the rest of the statement: every
column read costs the driver and SQLAlchemy a little, and the ORM's loading
more again. On PostgreSQL the statement goes straight to the driver
(shared.driver.fetch_one)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import cast

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import Session

from shared import driver

from ..models import Listing
from ..models.listing import RegistrationWindow
from . import gate
from .cache import PerDatabase
from .positions import waiting_ahead_in_event

LISTINGS = cast(Table, Listing.__table__)  # a declarative model's table


@dataclasses.dataclass(frozen=True, slots=True)
class ListingAtGate(RegistrationWindow):
    """A read-only copy of the Listing columns that registering uses (the window,
    the seats, the form and consent settings, and what the event's summary in
    `registration.*` carries). Code that changes the event, or needs its other
    policies, loads the mapped Listing."""

    id: str
    slug: str
    title_it: str
    title_en: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    venue: str
    url: str | None
    revision: int
    status: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    capacity: int | None
    confirmed_count: int
    approval_required: bool
    consent_required: bool
    privacy_policy_version: str
    form_revision: int


_COLUMNS = [LISTINGS.c[field.name] for field in dataclasses.fields(ListingAtGate)]
_SLUG = [column.key for column in _COLUMNS].index("slug")
_EVENT_ID_BY_SLUG = select(LISTINGS.c.id).where(LISTINGS.c.slug == bindparam("slug"))
# Built once: (without the gate: SQLite, whose writers take turns anyway; with it: PostgreSQL).
_READ: Select = select(*_COLUMNS, waiting_ahead_in_event()).where(LISTINGS.c.id == bindparam("event_id"))
_ENTER_AND_READ: Select = _READ.add_columns(gate.entering())
_EVENT_IDS: PerDatabase[str, str] = PerDatabase(10_000)  # slug -> event id: ids never change


def enter(
    session: Session, slug: str, *, queued_at: dt.datetime, registration_id: str
) -> tuple[ListingAtGate, int] | None:
    """Pass the event's seat gate and read the event, with how many wait ahead
    of a registration queued now; None when no event has that slug. From then
    on no place can free until we commit; one freed while we waited for the
    gate is not in this statement's snapshot, so the caller looks again in its
    next statement (registration_insert.insert_registration answers it)."""
    connection = session.connection()
    query = _ENTER_AND_READ if gate.takes_locks(session) else _READ
    for event_id in (_EVENT_IDS.get(session, slug), None):  # the cached id, then a fresh look-up if the slug moved
        event_id = event_id or connection.execute(_EVENT_ID_BY_SLUG, {"slug": slug}).scalar()
        if event_id is None:
            break
        params = {"event_id": event_id, "queued_at": queued_at, "id": registration_id, **gate.params(event_id)}
        row = driver.fetch_one(session, query, params)
        if row is not None and row[_SLUG] == slug:
            _EVENT_IDS.put(session, slug, event_id)
            return ListingAtGate(*row[: len(_COLUMNS)]), row[len(_COLUMNS)]
        _EVENT_IDS.forget(session, slug)
    return None
