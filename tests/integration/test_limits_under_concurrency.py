"""Every limit below the event's capacity holds under concurrent requests on
PostgreSQL: a category quota, a choice option's limit, a workshop's seats,
and approvals in a moderated event. Each real run has a CONTROL run with the
guard swapped for an unguarded check-then-increment that must overbook, so
the harness is proven to see the race (pretix's method; see
test_capacity_under_concurrency.py for the event capacity itself)."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import func, select, update

from services.registration import approval, form_admin, released_programme, self_service
from services.registration import registering as registration
from services.registration.listings import apply_event
from services.registration.models import Category, FieldOption, Outbox, ProgrammeSession, Registration, WorkshopSignup
from services.registration.places import give_back_place
from services.registration.store.counters import COUNTERS, Guards, claim_quota
from shared.db import make_engine, make_session_factory
from tests.factories import migrated_factory, participant, settings_for
from tests.integration.registration_support import SLUG, programme_session, upcoming_event
from tests.integration.test_capacity_under_concurrency import race

pytestmark = pytest.mark.postgres

RACERS = 16
LIMIT, TAKEN_BEFORE = 8, 3
BASE_URL = "http://localhost:8000"


@pytest.fixture
def db(pg_url, tmp_path):
    settings = settings_for("registration", tmp_path, database_url=pg_url)
    setup = migrated_factory("registration", settings)
    engine = make_engine(pg_url, pool_size=RACERS + 2, max_overflow=0)
    racing = make_session_factory(engine, service="registration", outbox_model=Outbox)
    with setup() as session, session.begin():
        apply_event(session, upcoming_event(capacity=1000, revision=2), base_url=BASE_URL)
    yield setup, racing
    engine.dispose()
    setup.kw["bind"].dispose()


def unguarded_quota(session, model, key) -> bool:
    """The bug the guard prevents: read the count, wait, then increment blindly."""
    limit_name, taken_name = COUNTERS[model]
    limit, taken = session.execute(
        select(getattr(model, limit_name), getattr(model, taken_name)).where(model.id == key)
    ).one()
    time.sleep(0.05)
    if limit is not None and taken >= limit:
        return False
    session.execute(
        update(model)
        .where(model.id == key)
        .values({taken_name: getattr(model, taken_name) + 1})
        .execution_options(synchronize_session=False)
    )
    return True


def with_listing(factory, action):
    with factory() as session, session.begin():
        return action(session, registration.find_listing(session, SLUG))


def register(factory, n, **extra):
    with factory() as session, session.begin():
        return registration.register(session, SLUG, participant(n, **extra), base_url=BASE_URL).token


def registering(n, claim_quota=claim_quota, claim=registration.claim_seat, **extra):
    return lambda session: (
        registration.register(
            session, SLUG, participant(n, **extra), base_url=BASE_URL, claim=claim, claim_quota=claim_quota
        ).registration.status
    )


def no_event_lock(session, event_id) -> bool:
    """The event's own seat claim writes the listing row, and that row lock
    alone serialises every registration of the event, hiding any race below
    it. To test a lower guard on its own, the event claim takes no lock."""
    return True


def outcomes(results) -> Counter:
    return Counter(value if kind == "ok" else type(value).__name__ for kind, value in results)


# --- category quota -----------------------------------------------------------------------


def staff_category(db):
    setup, _ = db
    with_listing(
        setup,
        lambda s, listing: form_admin.define_categories(
            s, listing, [{"code": "staff", "label": {"it": "Personale"}, "quota": LIMIT}], base_url=BASE_URL
        ),
    )
    for n in range(1, 1 + TAKEN_BEFORE):
        register(setup, n, category="staff")


def staff_confirmed(setup) -> tuple[int, int]:
    with setup() as session:
        confirmed = session.scalar(
            select(func.count()).select_from(Registration).where(Registration.status == "confirmed")
        )
        return confirmed, session.scalar(select(Category.taken))


def test_sixteen_concurrent_registrations_for_the_last_five_places_of_a_category_confirm_exactly_five(db):
    staff_category(db)
    results = race(db[1], [registering(n, category="staff") for n in range(100, 100 + RACERS)])
    assert outcomes(results) == {"confirmed": LIMIT - TAKEN_BEFORE, "waitlisted": RACERS - LIMIT + TAKEN_BEFORE}
    assert staff_confirmed(db[0]) == (LIMIT, LIMIT)


def test_the_category_guard_alone_holds_when_the_event_claim_takes_no_lock(db):
    staff_category(db)
    race(db[1], [registering(n, claim=no_event_lock, category="staff") for n in range(100, 100 + RACERS)])
    assert staff_confirmed(db[0]) == (LIMIT, LIMIT)


def test_control_the_category_race_with_an_unguarded_quota_overbooks(db):
    staff_category(db)
    race(
        db[1],
        [
            registering(n, claim=no_event_lock, claim_quota=unguarded_quota, category="staff")
            for n in range(100, 100 + RACERS)
        ],
    )
    confirmed, _ = staff_confirmed(db[0])
    print(f"\ncontrol run (category): {confirmed} confirmed for a quota of {LIMIT}")
    assert confirmed > LIMIT


# --- a choice option's limit -------------------------------------------------------------------


def veg_option(db):
    setup, _ = db
    with_listing(
        setup,
        lambda s, listing: form_admin.define_fields(
            s,
            listing,
            [
                {
                    "key": "diet",
                    "kind": "choice",
                    "label": {"it": "Pasto"},
                    "options": [{"key": "veg", "label": {"it": "Vegetariano"}, "limit": LIMIT}],
                }
            ],
        ),
    )
    for n in range(1, 1 + TAKEN_BEFORE):
        register(setup, n, answers={"diet": "veg"})


def veg_holders(setup) -> tuple[int, int]:
    with setup() as session:
        holders = sum(1 for answers in session.scalars(select(Registration.answers)) if answers.get("diet") == "veg")
        return holders, session.scalar(select(FieldOption.taken))


def test_sixteen_concurrent_choices_of_the_last_five_places_of_an_option_get_exactly_five(db):
    veg_option(db)
    results = race(db[1], [registering(n, answers={"diet": "veg"}) for n in range(100, 100 + RACERS)])
    assert outcomes(results) == {"confirmed": LIMIT - TAKEN_BEFORE, "OptionFull": RACERS - LIMIT + TAKEN_BEFORE}
    assert veg_holders(db[0]) == (LIMIT, LIMIT)


def test_the_option_guard_alone_holds_when_the_event_claim_takes_no_lock(db):
    veg_option(db)
    race(db[1], [registering(n, claim=no_event_lock, answers={"diet": "veg"}) for n in range(100, 100 + RACERS)])
    assert veg_holders(db[0]) == (LIMIT, LIMIT)


def test_control_the_option_race_with_an_unguarded_limit_overbooks(db):
    veg_option(db)
    race(
        db[1],
        [
            registering(n, claim=no_event_lock, claim_quota=unguarded_quota, answers={"diet": "veg"})
            for n in range(100, 100 + RACERS)
        ],
    )
    holders, _ = veg_holders(db[0])
    print(f"\ncontrol run (option): {holders} holders for a limit of {LIMIT}")
    assert holders > LIMIT


# --- a workshop's seats ------------------------------------------------------------------------

WORKSHOP = 77


def workshop_with_racers(db) -> dict[int, str]:
    setup, _ = db
    with setup() as session, session.begin():
        released_programme.apply_release(
            session,
            {
                "event_id": upcoming_event()["event_id"],
                "version": {"number": 1},
                "sessions": [programme_session(WORKSHOP, upcoming_event()["starts_at"], seat_limit=LIMIT)],
            },
        )
    for n in range(1, 1 + TAKEN_BEFORE):
        register(setup, n, workshops=[WORKSHOP])
    return {n: register(setup, n) for n in range(100, 100 + RACERS)}  # confirmed, no workshop yet


def choosing(token, guards=Guards()):
    def job(session):
        self_service.change(session, token, {"workshops": [WORKSHOP]}, guards=guards)
        return session.scalar(
            select(WorkshopSignup.status)
            .join(Registration)
            .where(
                Registration.id == WorkshopSignup.registration_id,
                WorkshopSignup.session_id == WORKSHOP,
                Registration.token_hash == registration.token_hash(token),
            )
        )

    return job


def workshop_seated(setup) -> tuple[int, int]:
    with setup() as session:
        seated = session.scalar(
            select(func.count()).select_from(WorkshopSignup).where(WorkshopSignup.status == "confirmed")
        )
        return seated, session.get(ProgrammeSession, WORKSHOP).taken


def test_sixteen_concurrent_sign_ups_for_the_last_five_seats_of_a_workshop_seat_exactly_five(db):
    tokens = workshop_with_racers(db)
    results = race(db[1], [choosing(token) for token in tokens.values()])
    assert outcomes(results) == {"confirmed": LIMIT - TAKEN_BEFORE, "waitlisted": RACERS - LIMIT + TAKEN_BEFORE}
    assert workshop_seated(db[0]) == (LIMIT, LIMIT)


def test_control_the_workshop_race_with_unguarded_seats_overbooks(db):
    tokens = workshop_with_racers(db)
    race(db[1], [choosing(token, Guards(quota=unguarded_quota)) for token in tokens.values()])
    seated, _ = workshop_seated(db[0])
    print(f"\ncontrol run (workshop): {seated} seated for {LIMIT} seats")
    assert seated > LIMIT


# --- approvals in a moderated event ---------------------------------------------------------------


def moderated_event_with_pending(db, capacity: int) -> list[str]:
    setup, _ = db
    with setup() as session, session.begin():
        apply_event(
            session,
            upcoming_event(
                capacity=capacity,
                revision=3,
                registration={"opens_at": None, "closes_at": None, "approval_required": True},
            ),
            base_url=BASE_URL,
        )
    for n in range(1, 1 + RACERS):  # the first `capacity` hold the seats
        register(setup, n)
    with setup() as session, session.begin():  # free them all: only approval decides now
        for registration in session.scalars(select(Registration)):
            if registration.holds_seat:
                give_back_place(session, registration)
    with setup() as session:
        return [r.id for r in session.scalars(select(Registration).order_by(Registration.created_at))]


def approving(registration_id, guards=Guards()):
    return lambda session: with_listing_in(
        session, lambda listing: approval.approve(session, listing, [registration_id], guards)[0].status
    )


def with_listing_in(session, action):
    return action(registration.find_listing(session, SLUG))


def test_sixteen_concurrent_approvals_for_five_seats_confirm_exactly_five(db):
    ids = moderated_event_with_pending(db, capacity=5)
    results = race(db[1], [approving(rid) for rid in ids])
    assert outcomes(results) == {"confirmed": 5, "waitlisted": RACERS - 5}


def test_control_concurrent_approvals_with_an_unguarded_seat_overbook(db):
    ids = moderated_event_with_pending(db, capacity=5)

    def unguarded_seat(session, event_id):
        return unguarded_quota(session, registration.Listing, event_id)

    results = race(db[1], [approving(rid, Guards(seat=unguarded_seat)) for rid in ids])
    confirmed = outcomes(results)["confirmed"]
    print(f"\ncontrol run (approval): {confirmed} confirmed for 5 seats")
    assert confirmed > 5
