"""The last seats under concurrent load, on PostgreSQL (SQLite serialises
writers, so it could never show the race).

pretix-style: many registrations wait behind a barrier, each in its own
session and transaction, and go at once. A CONTROL run uses the same harness
with an unguarded claim (read the count, sleep to widen the window, then
increment without a WHERE guard) and must overbook: that proves the harness
can see the bug the guarded UPDATE prevents."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select, update

from services.registration import registering as registration
from services.registration.listings import apply_event
from services.registration.models import Listing, Outbox, Registration
from shared.db import make_engine, make_session_factory
from shared.errors import Conflict
from tests.factories import event_data, migrated_factory, participant, settings_for
from tests.integration.registration_support import upcoming_event

pytestmark = pytest.mark.postgres

RACERS = 16
BASE_URL = "http://localhost:8000"
SLUG = event_data()["slug"]
EVENT_ID = event_data()["event_id"]


@pytest.fixture
def db(pg_url, tmp_path):
    """(setup factory, racing factory): the racing engine's pool holds a
    connection per racer, so nobody queues for a connection instead of a lock."""
    settings = settings_for("registration", tmp_path, database_url=pg_url)
    setup = migrated_factory("registration", settings)
    engine = make_engine(pg_url, pool_size=RACERS + 2, max_overflow=0)
    racing = make_session_factory(engine, service="registration", outbox_model=Outbox)
    yield setup, racing
    engine.dispose()
    setup.kw["bind"].dispose()


def race(factory, jobs):
    """Run each job(session) in its own thread and transaction, all released
    by one barrier once every transaction holds its connection. Returns one
    ("ok", value) or ("error", exception) per job, in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            with factory() as session, session.begin():
                session.connection()  # check out the connection before the start signal
                barrier.wait(timeout=30)
                results[i] = ("ok", job(session))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = ("error", exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results


def publish(factory, **overrides) -> None:
    with factory() as session, session.begin():
        apply_event(session, upcoming_event(**overrides), base_url=BASE_URL)


def register_many(factory, numbers) -> dict[int, str]:
    """Register people one after another; returns number -> token."""
    tokens = {}
    for n in numbers:
        with factory() as session, session.begin():
            tokens[n] = registration.register(session, SLUG, participant(n), base_url=BASE_URL).token
    return tokens


def registering(n, claim=registration.claim_seat):
    return lambda session: (
        registration.register(session, SLUG, participant(n), base_url=BASE_URL, claim=claim).registration.status
    )


def cancelling(token):
    return lambda session: registration.cancel(session, token, base_url=BASE_URL).status


def unguarded_claim(session, event_id) -> bool:
    """The bug the guard prevents: check, wait, then take the seat blindly."""
    listing = session.execute(select(Listing.capacity, Listing.confirmed_count).where(Listing.id == event_id)).one()
    time.sleep(0.05)  # pretix's sleep-after-quota-check: widen the race window
    if listing.capacity is not None and listing.confirmed_count >= listing.capacity:
        return False
    session.execute(
        update(Listing)
        .where(Listing.id == event_id)
        .values(confirmed_count=Listing.confirmed_count + 1)
        .execution_options(synchronize_session=False)
    )
    return True


def snapshot(factory) -> dict:
    """Statuses by e-mail, the seat counter and the outbox, read after the race."""
    with factory() as session:
        rows = session.execute(
            select(Registration.email, Registration.status).order_by(Registration.queued_at, Registration.id)
        ).all()
        listing = session.get(Listing, EVENT_ID)
        outbox = [
            (row.routing_key, json.loads(row.body)["data"])
            for row in session.scalars(select(Outbox).order_by(Outbox.id))
        ]
        positions = [
            registration.waitlist_position(session, reg)
            for reg in session.scalars(select(Registration).where(Registration.status == "waitlisted"))
        ]
    return {
        "status": dict(rows),
        "counts": Counter(status for _, status in rows),
        "outbox": outbox,
        "confirmed_count": listing.confirmed_count,
        "capacity": listing.capacity,
        "positions": sorted(positions),
        "waitlisted_in_order": [e for e, s in rows if s == "waitlisted"],
    }


def email(n: int) -> str:
    return participant(n)["email"]


def test_sixteen_concurrent_registrations_for_the_last_five_seats_confirm_exactly_five(db):
    setup, racing = db
    publish(setup, capacity=8)
    register_many(setup, range(1, 4))  # 3 of 8 seats gone: 5 left

    results = race(racing, [registering(n) for n in range(100, 100 + RACERS)])

    assert [kind for kind, _ in results] == ["ok"] * RACERS, results
    assert Counter(status for _, status in results) == {"confirmed": 5, "waitlisted": RACERS - 5}
    state = snapshot(setup)
    assert state["counts"] == {"confirmed": 8, "waitlisted": RACERS - 5}
    assert state["confirmed_count"] == 8 == state["capacity"]
    assert state["positions"] == list(range(1, RACERS - 5 + 1))  # one queue, no ties, no gaps
    racers_events = Counter(key for key, _ in state["outbox"][3:])
    assert racers_events == {"registration.confirmed": 5, "registration.waitlisted": RACERS - 5}


def test_control_the_same_race_with_an_unguarded_claim_overbooks(db, record_property):
    """If this fails, the harness cannot see a race and the test above proves nothing."""
    setup, racing = db
    publish(setup, capacity=8)
    register_many(setup, range(1, 4))

    results = race(racing, [registering(n, claim=unguarded_claim) for n in range(100, 100 + RACERS)])

    assert [kind for kind, _ in results] == ["ok"] * RACERS, results
    confirmed = snapshot(setup)["counts"]["confirmed"]
    record_property("control_confirmed", confirmed)
    print(f"\ncontrol run: {confirmed} confirmed for capacity 8 ({confirmed - 8} overbooked)")
    assert confirmed > 8


def test_concurrent_cancellations_and_registrations_never_exceed_capacity_and_promote_in_order(db):
    setup, racing = db
    publish(setup, capacity=5)
    tokens = register_many(setup, range(1, 12))  # 1-5 confirmed, 6-11 waitlisted in this order

    jobs = [cancelling(tokens[n]) for n in (1, 3, 5)]  # three seats freed...
    jobs.append(cancelling(tokens[9]))  # ...and someone leaves the queue meanwhile
    jobs += [registering(n) for n in range(100, 108)]  # while eight newcomers arrive
    results = race(racing, jobs)

    assert [kind for kind, _ in results] == ["ok"] * len(jobs), results
    state = snapshot(setup)
    assert state["counts"]["confirmed"] == 5 == state["confirmed_count"]
    # The freed seats went to the head of the queue, not to newcomers.
    assert {n for n in range(1, 12) if state["status"][email(n)] == "confirmed"} == {2, 4, 6, 7, 8}
    assert state["status"][email(9)] == "cancelled"
    assert all(state["status"][email(n)] == "waitlisted" for n in range(100, 108))
    assert state["waitlisted_in_order"][:2] == [email(10), email(11)]
    promotions = [
        data["participant"]["email"]
        for key, data in state["outbox"]
        if key == "registration.confirmed" and data["previous_status"] == "waitlisted"
    ]
    assert sorted(promotions) == [email(6), email(7), email(8)]


def test_a_cancellation_clicked_many_times_at_once_promotes_the_first_waitlisted_exactly_once(db):
    setup, racing = db
    publish(setup, capacity=2)
    tokens = register_many(setup, range(1, 6))  # 1-2 confirmed, 3-5 waitlisted

    results = race(racing, [cancelling(tokens[1]) for _ in range(8)])

    outcomes = Counter(kind if kind == "ok" else type(value).__name__ for kind, value in results)
    assert outcomes == {"ok": 1, "Conflict": 7}
    assert all(isinstance(value, Conflict) for kind, value in results if kind == "error")
    state = snapshot(setup)
    assert [state["status"][email(n)] for n in range(1, 6)] == [
        "cancelled",
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert state["confirmed_count"] == 2
    assert state["positions"] == [1, 2]
    since_setup = [(key, data["participant"]["email"], data["previous_status"]) for key, data in state["outbox"][5:]]
    assert since_setup == [
        ("registration.cancelled", email(1), "confirmed"),
        ("registration.confirmed", email(3), "waitlisted"),
    ]


def test_a_registration_submitted_many_times_at_once_takes_one_seat(db):
    setup, racing = db
    publish(setup, capacity=10)

    results = race(racing, [registering(7) for _ in range(8)])

    outcomes = Counter(kind if kind == "ok" else type(value).__name__ for kind, value in results)
    assert outcomes == {"ok": 1, "AlreadyRegistered": 7}
    state = snapshot(setup)
    assert state["counts"] == {"confirmed": 1} and state["confirmed_count"] == 1


@pytest.mark.parametrize("first", ["canceller", "newcomer"])
def test_a_seat_freed_while_a_newcomer_is_being_waitlisted_goes_to_that_newcomer(db, monkeypatch, first):
    """One transaction pauses inside the event's seat gate (the newcomer after
    it read the event as full, or the canceller after it took the seat back);
    the other must wait at the gate, and the seat must not stay empty while
    the newcomer waits in the queue: it takes the seat itself, or is queued
    and then promoted by the cancellation."""
    setup, racing = db
    publish(setup, capacity=1)
    token = register_many(setup, [1])[1]
    paused, go_on = threading.Event(), threading.Event()

    def pausing(function):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            paused.set()
            go_on.wait(timeout=10)
            return result

        return wrapper

    if first == "newcomer":
        monkeypatch.setattr(registration, "_entered_listing", pausing(registration._entered_listing))
        jobs = ([registering(2)], [cancelling(token)])
    else:
        monkeypatch.setattr(registration, "depart", pausing(registration.depart))
        jobs = ([cancelling(token)], [registering(2)])
    leader = threading.Thread(target=race, args=(racing, jobs[0]))
    leader.start()
    assert paused.wait(timeout=10), f"the {first} never reached its pause"
    follower = threading.Thread(target=race, args=(racing, jobs[1]))
    follower.start()
    follower.join(timeout=0.5)
    assert follower.is_alive(), "the other transaction did not wait at the seat gate"
    go_on.set()
    leader.join(timeout=30)
    follower.join(timeout=30)

    state = snapshot(setup)
    assert state["status"] == {email(1): "cancelled", email(2): "confirmed"}
    assert state["confirmed_count"] == 1
    events = {(key, data["participant"]["email"], data["previous_status"]) for key, data in state["outbox"][1:]}
    newcomer_path = {  # took the freed seat itself, or was queued and promoted by the cancellation
        "canceller": {("registration.confirmed", email(2), None)},
        "newcomer": {("registration.waitlisted", email(2), None), ("registration.confirmed", email(2), "waitlisted")},
    }[first]
    assert events == {("registration.cancelled", email(1), "confirmed")} | newcomer_path
