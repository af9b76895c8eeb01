"""The conflict rules of a schedule, on plain values."""

from __future__ import annotations

import datetime as dt

from services.scheduling.programme.conflicts import EventDays, Placed, find_conflicts

UTC = dt.timezone.utc
ROME_DAYS = EventDays(dt.datetime(2027, 3, 26, 8, tzinfo=UTC), dt.datetime(2027, 3, 28, 16, tzinfo=UTC), "Europe/Rome")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=UTC)


def placed(n: int, start: dt.datetime, minutes: int = 60, **kwargs) -> Placed:
    return Placed(n, f"S{n}", start, start + dt.timedelta(minutes=minutes), **kwargs)


def kinds(items, capacity=None) -> list[tuple[str, tuple[int, ...]]]:
    return [(c.kind, c.session_ids) for c in find_conflicts(items, ROME_DAYS, capacity or {})]


def test_two_sessions_overlapping_in_one_room_are_a_double_booking():
    items = [placed(1, at(27, 9), room_id="A"), placed(2, at(27, 9, 30), room_id="A")]
    assert kinds(items) == [("room_double_booked", (1, 2))]


def test_back_to_back_sessions_and_other_rooms_do_not_clash():
    items = [
        placed(1, at(27, 9), room_id="A"),
        placed(2, at(27, 10), room_id="A"),
        placed(3, at(27, 9), room_id="B"),
        placed(4, at(27, 9)),
    ]
    assert kinds(items) == []


def test_a_long_session_clashes_with_each_session_inside_it():
    items = [
        placed(1, at(27, 9), 180, room_id="A"),
        placed(2, at(27, 9, 30), room_id="A"),
        placed(3, at(27, 11), room_id="A"),
    ]
    assert kinds(items) == [("room_double_booked", (1, 2)), ("room_double_booked", (1, 3))]


def test_a_speaker_in_two_rooms_at_once_is_a_conflict_naming_the_speaker():
    items = [
        placed(1, at(27, 9), room_id="A", speaker_ids=("anna",)),
        placed(2, at(27, 9, 45), room_id="B", speaker_ids=("anna", "marco")),
    ]
    conflicts = find_conflicts(items, ROME_DAYS, {}, {"anna": "Anna Bianchi"})
    assert [(c.kind, c.speaker_id) for c in conflicts] == [("speaker_double_booked", "anna")]
    assert "Anna Bianchi" in conflicts[0].message


def test_a_session_before_or_after_the_event_days_is_outside_them():
    items = [placed(1, at(25, 9)), placed(2, at(29, 9)), placed(3, at(26, 6)), placed(4, at(28, 20))]
    # 3 and 4 are early and late but on the event's days; 1 and 2 are not
    assert kinds(items) == [("outside_event_days", (1,)), ("outside_event_days", (2,))]


def test_event_days_are_local_dates_in_rome_across_the_dst_change():
    # 2027-03-28 22:30Z is 00:30 on the 29th in Rome (summer time): outside.
    # 2027-03-25 23:30Z is 00:30 on the 26th in Rome (winter time): inside.
    items = [placed(1, at(28, 22, 30)), placed(2, dt.datetime(2027, 3, 25, 23, 30, tzinfo=UTC))]
    assert kinds(items) == [("outside_event_days", (1,))]


def test_a_session_ending_at_midnight_of_the_last_day_is_inside():
    last_midnight = dt.datetime(2027, 3, 28, 22, 0, tzinfo=UTC)  # 00:00 of the 29th in Rome
    assert kinds([placed(1, last_midnight - dt.timedelta(hours=2), 120)]) == []


def test_a_workshop_with_more_seats_than_its_room_is_a_conflict():
    items = [
        placed(1, at(27, 9), room_id="A", requires_signup=True, seat_limit=31),
        placed(2, at(27, 11), room_id="A", requires_signup=True, seat_limit=30),
        placed(3, at(27, 13), room_id="B", requires_signup=True, seat_limit=500),
        placed(4, at(27, 15), room_id="A", seat_limit=99),
    ]
    assert kinds(items, {"A": 30, "B": None}) == [("seats_above_room_capacity", (1,))]


def test_conflicts_come_out_in_a_stable_order_whatever_the_input_order():
    items = [
        placed(2, at(27, 9, 30), room_id="A", speaker_ids=("s",)),
        placed(1, at(27, 9), room_id="A", speaker_ids=("s",)),
        placed(3, at(20, 9)),
    ]
    assert (
        kinds(items)
        == kinds(list(reversed(items)))
        == [("room_double_booked", (1, 2)), ("speaker_double_booked", (1, 2)), ("outside_event_days", (3,))]
    )
