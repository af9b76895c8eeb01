"""Registration's state machine and the Listing's opening rules, on plain
objects: no database, no session, no clock but the one passed in."""

from __future__ import annotations

import datetime as dt

import pytest

from services.registration.models import TRANSITIONS, Listing, Registration
from shared.errors import Conflict
from shared.events.registration import REGISTRATION_STATES

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)
LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=UTC)
STATES = sorted(TRANSITIONS)


def registration(status: str) -> Registration:
    # Column defaults only apply on INSERT, so a transient object needs its revision set.
    return Registration(
        status=status, revision=1, updated_at=LONG_AGO, first_name="Anna", last_name="Bianchi", email="anna@example.org"
    )


def listing(**overrides) -> Listing:
    values = dict(
        status="published",
        starts_at=NOW + 24 * HOUR,
        ends_at=NOW + 28 * HOUR,
        opens_at=None,
        closes_at=None,
        capacity=5,
        confirmed_count=0,
    )
    values.update(overrides)
    return Listing(**values)


def test_a_confirmed_registration_can_be_cancelled():
    reg = registration("confirmed")
    assert reg.cancel() == "confirmed"
    assert reg.status == "cancelled"


def test_a_waitlisted_registration_can_be_confirmed():
    reg = registration("waitlisted")
    assert reg.confirm() == "waitlisted"
    assert reg.status == "confirmed"


def test_a_waitlisted_registration_can_be_cancelled():
    reg = registration("waitlisted")
    assert reg.cancel() == "waitlisted"
    assert reg.status == "cancelled"


@pytest.mark.parametrize("move", ["confirm", "cancel"])
def test_a_cancelled_registration_refuses_every_move_with_a_conflict_on_status(move):
    reg = registration("cancelled")
    with pytest.raises(Conflict) as refused:
        getattr(reg, move)()
    assert refused.value.status == 409
    assert refused.value.field == "status"
    assert "cancelled" in refused.value.message


def test_a_confirmed_registration_cannot_be_confirmed_again():
    reg = registration("confirmed")
    with pytest.raises(Conflict):
        reg.confirm()


def test_a_refused_move_changes_nothing():
    reg = registration("cancelled")
    before = (reg.status, reg.revision, reg.updated_at)
    with pytest.raises(Conflict):
        reg.confirm()
    assert (reg.status, reg.revision, reg.updated_at) == before


def test_each_transition_raises_the_revision_by_one_and_stamps_updated_at():
    reg = registration("waitlisted")
    reg.confirm()
    assert reg.revision == 2
    assert reg.updated_at > LONG_AGO
    reg.cancel()
    assert reg.revision == 3


@pytest.mark.parametrize("start", STATES)
@pytest.mark.parametrize("target", ["confirmed", "cancelled"])
def test_only_the_transitions_in_the_table_are_allowed(start, target):
    reg = registration(start)
    move = {"confirmed": reg.confirm, "cancelled": reg.cancel}[target]
    if target in TRANSITIONS[start]:
        assert move() == start and reg.status == target
    else:
        with pytest.raises(Conflict):
            move()
        assert reg.status == start


def test_cancelled_is_a_final_state():
    assert TRANSITIONS["cancelled"] == set()


def test_a_published_listing_without_a_window_is_open_until_the_event_ends():
    assert listing().is_open(NOW)
    assert listing(starts_at=NOW - HOUR, ends_at=NOW + HOUR).is_open(NOW)  # running events still take people
    assert not listing(starts_at=NOW - 2 * HOUR, ends_at=NOW).is_open(NOW)


def test_a_cancelled_listing_is_closed():
    assert not listing(status="cancelled").is_open(NOW)


def test_the_registration_window_opens_at_opens_at_and_closes_before_closes_at():
    window = listing(opens_at=NOW, closes_at=NOW + HOUR)
    assert not window.is_open(NOW - dt.timedelta(seconds=1))
    assert window.is_open(NOW)
    assert window.is_open(NOW + HOUR - dt.timedelta(seconds=1))
    assert not window.is_open(NOW + HOUR)


def test_seats_left_counts_down_to_zero_and_never_below():
    assert listing(capacity=5, confirmed_count=0).seats_left() == 5
    assert listing(capacity=5, confirmed_count=4).seats_left() == 1
    assert listing(capacity=5, confirmed_count=5).seats_left() == 0
    assert listing(capacity=3, confirmed_count=5).seats_left() == 0  # capacity lowered below the confirmed


def test_a_listing_without_capacity_has_no_seat_limit():
    assert listing(capacity=None, confirmed_count=40).seats_left() is None


def test_the_state_machine_knows_exactly_the_states_the_events_publish():
    assert set(TRANSITIONS) == set(REGISTRATION_STATES)
    assert all(following <= set(REGISTRATION_STATES) for following in TRANSITIONS.values())
