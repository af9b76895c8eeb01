"""Releasing a schedule version: what changed since the last release, and
how SEQUENCE and the update time move (pure functions, no database)."""

from __future__ import annotations

from services.scheduling.programme.versions import classify, release
from tests.unit.schedule_samples import ROOM_B, entry, utc

T0 = utc(2027, 3, 27, 8)
LATER = utc(2027, 2, 1, 12).isoformat()


def wip(previous: dict, **changes) -> dict:
    """The work-in-progress form of a released entry, with some changes."""
    return {**previous, **changes, "sequence": 99, "updated_at": "ignored"}


def test_the_first_release_lists_every_session_as_added_with_sequence_zero():
    result = release([], [entry(1, T0), entry(2, T0)], LATER)
    assert [e["sequence"] for e in result.entries] == [0, 0]
    assert {e["updated_at"] for e in result.entries} == {LATER}
    assert [line["id"] for line in result.changelog["added"]] == [1, 2]
    assert [e["changes"] for e in result.changed] == [["added"], ["added"]]


def test_an_unchanged_session_keeps_its_released_entry_exactly():
    old = entry(1, T0, sequence=3)
    result = release([old], [wip(old)], LATER)
    assert result.entries == [old] and result.is_empty and result.changed == []


def test_a_moved_session_is_listed_as_moved_and_its_sequence_rises():
    old = entry(1, T0, sequence=2)
    moved = wip(old, starts_at=utc(2027, 3, 27, 10).isoformat(), ends_at=utc(2027, 3, 27, 11).isoformat())
    result = release([old], [moved], LATER)
    (new,) = result.entries
    assert new["sequence"] == 3 and new["updated_at"] == LATER and new["guid"] == old["guid"]
    assert result.changelog["moved"] == [
        {
            "id": 1,
            "guid": old["guid"],
            "title": old["title"],
            "before": {"starts_at": old["starts_at"], "ends_at": old["ends_at"]},
            "after": {"starts_at": moved["starts_at"], "ends_at": moved["ends_at"]},
        }
    ]
    assert result.changed[0]["previous"]["starts_at"] == old["starts_at"]


def test_a_session_in_another_room_is_re_roomed_and_its_sequence_rises():
    old = entry(1, T0)
    result = release([old], [wip(old, room=ROOM_B)], LATER)
    assert result.entries[0]["sequence"] == 1
    assert result.changelog["re_roomed"][0]["before"] == {"room": "Sala A"}
    assert result.changelog["re_roomed"][0]["after"] == {"room": "Aula Magna"}
    assert result.changelog["changed"] == []


def test_moved_and_re_roomed_at_once_is_in_both_lists_with_one_rise():
    old = entry(1, T0)
    result = release([old], [wip(old, room=ROOM_B, starts_at=utc(2027, 3, 27, 7).isoformat())], LATER)
    assert result.entries[0]["sequence"] == 1
    assert result.changed[0]["changes"] == ["moved", "re_roomed"]


def test_new_text_is_a_change_without_a_sequence_rise_but_with_a_new_update_time():
    old = entry(1, T0, sequence=4)
    result = release([old], [wip(old, abstract={"it": "Nuovo abstract.", "en": None})], LATER)
    assert result.entries[0]["sequence"] == 4 and result.entries[0]["updated_at"] == LATER
    assert [line["id"] for line in result.changelog["changed"]] == [1]


def test_a_renamed_room_is_a_change_not_a_re_rooming():
    old = entry(1, T0)
    assert classify(old, wip(old, room={**old["room"], "name": "Sala Rossa"})) == ["changed"]


def test_a_deleted_session_comes_back_cancelled_with_a_higher_sequence():
    old = entry(1, T0, sequence=1)
    result = release([old], [], LATER)
    (gone,) = result.entries
    assert gone["status"] == "cancelled" and gone["sequence"] == 2 and gone["updated_at"] == LATER
    assert gone["guid"] == old["guid"] and gone["starts_at"] == old["starts_at"]
    assert [line["id"] for line in result.changelog["cancelled"]] == [1]


def test_a_cancelled_session_is_carried_forward_unchanged_and_not_listed_again():
    cancelled = entry(1, T0, status="cancelled", sequence=2)
    result = release([cancelled], [], LATER)
    assert result.entries == [cancelled] and result.is_empty


def test_entries_come_out_ordered_by_start_then_id():
    result = release([], [entry(3, T0), entry(1, utc(2027, 3, 27, 9)), entry(2, T0)], LATER)
    assert [e["id"] for e in result.entries] == [2, 3, 1]
