"""The organisers' list and exports hold at tens of thousands of registrations:
the CSV is streamed (its header leaves before the rows are read), the XLSX is
sent from a file, and the places in line of a page come from one window query
that agrees with the per-registration count."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select, update

from services.registration.models import Registration
from services.registration.store.positions import (
    category_position,
    category_positions,
    waitlist_position,
    waitlist_positions,
)
from tests.integration.registration_support import EVENT_ID


def test_the_csv_export_is_streamed_header_first_then_the_rows(desk):
    for n in range(1, 5):
        desk.registered(n)
    response = desk.as_organiser("get", "/export.csv", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    pieces = iter(response.response)
    first = next(pieces)
    first = first.decode() if isinstance(first, bytes) else first
    # the first piece is the header alone: it was sent before any row was read
    assert first.startswith("\ufeffregistration_id,status") and "@example.org" not in first
    rest = "".join(p.decode() if isinstance(p, bytes) else p for p in pieces)
    response.close()
    rows = list(csv.DictReader(io.StringIO((first + rest).lstrip("\ufeff"))))
    assert [r["email"] for r in rows] == [f"anna{n}@example.org" for n in range(1, 5)]


def test_the_xlsx_export_is_sent_from_a_file_not_built_in_the_response(desk):
    desk.registered(1)
    response = desk.as_organiser("get", "/export.xlsx")
    assert response.status_code == 200 and response.is_streamed  # a file, read as it is sent
    assert response.data[:2] == b"PK" and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_positions_of_a_page_equal_each_registrations_own_place_in_line(desk):
    for n in range(1, 9):
        desk.registered(n)  # capacity 2: six wait
    with desk.factory() as session, session.begin():
        waiting = session.scalars(
            select(Registration).where(Registration.status == "waitlisted").order_by(Registration.created_at)
        ).all()
        # the line's order is not the order of registration: the last to register joined first, two at one instant
        base = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        for i, registration in enumerate(reversed(waiting)):
            session.execute(
                update(Registration)
                .where(Registration.id == registration.id)
                .values(queued_at=base + dt.timedelta(minutes=i // 2))
            )
    with desk.factory() as session:
        rows = session.scalars(select(Registration).where(Registration.event_id == EVENT_ID)).all()
        one_by_one = {r.id: waitlist_position(session, r) for r in rows}
        batched = waitlist_positions(session, EVENT_ID, [r.id for r in rows])
        assert batched == {i: p for i, p in one_by_one.items() if p is not None}
        assert sorted(batched.values()) == [1, 2, 3, 4, 5, 6]
        in_categories = {r.id: category_position(session, r) for r in rows}
        assert category_positions(session, EVENT_ID, [r.id for r in rows]) == {
            i: p for i, p in in_categories.items() if p is not None
        }
        # control: the line is not the registration order, so a mere enumeration would differ
        by_creation = [r.id for r in sorted(rows, key=lambda r: (r.created_at, r.id)) if r.id in batched]
        assert [batched[i] for i in by_creation] != [1, 2, 3, 4, 5, 6]
