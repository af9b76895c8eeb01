"""The full registration state machine (pending, confirmed, waitlisted,
offered, cancelled, rejected, expired) on plain objects."""

from __future__ import annotations

import datetime as dt

import pytest

from services.registration.models import ACTIVE, TRANSITIONS, Registration
from shared.errors import Conflict

UTC = dt.timezone.utc
LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=UTC)
DEADLINE = dt.datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
MOVES = {
    "confirmed": lambda r: r.confirm(),
    "cancelled": lambda r: r.cancel("no longer needed"),
    "waitlisted": lambda r: r.waitlist(),
    "offered": lambda r: r.offer(DEADLINE),
    "expired": lambda r: r.expire(),
    "rejected": lambda r: r.reject("not a member"),
}


def registration(status: str) -> Registration:
    return Registration(
        status=status,
        revision=1,
        updated_at=LONG_AGO,
        queued_at=LONG_AGO,
        first_name="Anna",
        last_name="Bianchi",
        email="anna@example.org",
    )


@pytest.mark.parametrize("start", sorted(TRANSITIONS))
@pytest.mark.parametrize("target", sorted(MOVES))
def test_every_move_follows_the_transition_table_and_a_refused_one_changes_nothing(start, target):
    reg = registration(start)
    if target in TRANSITIONS[start]:
        assert MOVES[target](reg) == start
        assert (reg.status, reg.revision) == (target, 2)
    else:
        with pytest.raises(Conflict) as refused:
            MOVES[target](reg)
        assert refused.value.field == "status"
        assert (reg.status, reg.revision, reg.updated_at) == (start, 1, LONG_AGO)


def test_a_pending_registration_can_be_approved_into_a_seat_or_the_waiting_list_or_rejected():
    assert TRANSITIONS["pending"] == {"confirmed", "waitlisted", "rejected", "cancelled"}


def test_an_offer_ends_accepted_expired_or_declined():
    assert TRANSITIONS["offered"] == {"confirmed", "expired", "cancelled"}


@pytest.mark.parametrize("final", ["cancelled", "rejected", "expired"])
def test_cancelled_rejected_and_expired_are_final(final):
    assert TRANSITIONS[final] == set() and final not in ACTIVE


def test_an_offer_carries_its_deadline_until_it_is_answered():
    reg = registration("waitlisted")
    reg.offer(DEADLINE)
    assert reg.offer_expires_at == DEADLINE
    reg.confirm()
    assert reg.offer_expires_at is None


def test_a_rejection_and_a_cancellation_keep_their_reason_for_the_participant():
    pending, confirmed = registration("pending"), registration("confirmed")
    pending.reject("Riservato ai comuni soci")
    confirmed.cancel("Evento riorganizzato")
    assert pending.reason == "Riservato ai comuni soci" and confirmed.reason == "Evento riorganizzato"


def test_joining_the_waiting_list_puts_one_at_its_end():
    reg = registration("pending")
    now = dt.datetime(2026, 11, 30, tzinfo=UTC)
    reg.waitlist(now)
    assert reg.queued_at == now
