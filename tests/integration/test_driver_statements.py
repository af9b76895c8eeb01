"""Statements sent straight to the driver (shared.driver) answer exactly what
the same statements answer through SQLAlchemy: the same values of the same
types, binds and results processed by their column types (aware UTC datetimes
whatever the session's time zone, JSON), the rows an UPDATE matched, driver
errors raised as SQLAlchemy's, and every effect inside the session's transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import bindparam, exc, select, text
from sqlalchemy.orm import Session

from services.registration.models import Listing, Outbox, Registration
from services.registration.store import counters, event_read, gate
from services.registration.store.registration_insert import REGISTRATIONS, _statements
from shared import driver
from shared.db import make_engine
from shared.migrate import upgrade

pytestmark = pytest.mark.postgres

EVENT = str(uuid.UUID(int=7))
ROME_WINTER = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def engine(pg_url):
    upgrade("registration", pg_url)
    engine = make_engine(pg_url)
    starts = dt.datetime(2030, 3, 1, 8, 30, tzinfo=dt.timezone.utc)
    with Session(engine) as session, session.begin():
        session.add(
            Listing(
                id=EVENT,
                slug="congresso",
                title_it="Congresso",
                title_en=None,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=8),
                timezone="Europe/Rome",
                venue="Aula",
                url=None,
                status="published",
                capacity=10,
                confirmed_count=0,
                revision=1,
            )
        )
    yield engine
    engine.dispose()


def registration_params(email: str, answers: dict) -> dict:
    now = dt.datetime(2030, 1, 5, 9, 0, tzinfo=ROME_WINTER)  # not UTC: the bind processor must convert it
    values = {column.key: None for column in REGISTRATIONS.c}
    values.update(
        id=str(uuid.uuid4()),
        event_id=EVENT,
        first_name="Anna",
        last_name="Rossi",
        email=email,
        organisation="Comune",
        role="",
        locale="it",
        answers=answers,
        status="waitlisted",
        holds_seat=False,
        token_hash=uuid.uuid4().hex * 2,
        revision=1,
        join_link_revision=0,
        queued_at=now,
        created_at=now,
        updated_at=now,
    )
    params = {f"registration_{key}": value for key, value in values.items()}
    params.update(
        event_message_id=str(uuid.uuid4()),
        event_routing_key="registration.waitlisted",
        event_body="{}",
        event_created_at=now,
    )
    return params


def test_the_hot_read_answers_what_sqlalchemy_answers_in_aware_utc(engine):
    params = {"event_id": EVENT, "queued_at": dt.datetime.now(dt.timezone.utc), "id": "x", **gate.params(EVENT)}
    with Session(engine) as session, session.begin():
        session.execute(text("SET LOCAL TimeZone = 'Europe/Rome'"))  # the driver alone returns +01:00 here
        through_sqlalchemy = tuple(session.connection().execute(event_read._ENTER_AND_READ, params).one())
        straight = driver.fetch_one(session, event_read._ENTER_AND_READ, params)
    assert straight == through_sqlalchemy
    assert [type(value) for value in straight] == [type(value) for value in through_sqlalchemy]
    starts_at = straight[[column.key for column in event_read._COLUMNS].index("starts_at")]
    assert starts_at.tzinfo == dt.timezone.utc and starts_at == dt.datetime(2030, 3, 1, 8, 30, tzinfo=dt.timezone.utc)


def test_binds_are_processed_by_their_types_json_and_utc(engine):
    both = driver.with_inserts(*_statements(Outbox.__table__))
    params = registration_params("anna@example.org", {"diet": ["vegetarian"], "note": "è"})
    with Session(engine) as session, session.begin():
        assert driver.fetch_one(session, both, params) == (True,)  # a seat is free
    with Session(engine) as session:
        stored = session.scalars(select(Registration)).one()
        raw = session.execute(text("SELECT answers::text, queued_at AT TIME ZONE 'UTC' FROM registrations")).one()
    assert stored.answers == {"diet": ["vegetarian"], "note": "è"}
    assert stored.queued_at == dt.datetime(2030, 1, 5, 8, 0, tzinfo=dt.timezone.utc)
    assert raw[1] == dt.datetime(2030, 1, 5, 8, 0)


def test_a_driver_error_is_raised_as_sqlalchemys_and_the_transaction_rolls_back(engine):
    both = driver.with_inserts(*_statements(Outbox.__table__))
    with Session(engine) as session, session.begin():
        driver.fetch_one(session, both, registration_params("anna@example.org", {}))
    with (
        pytest.raises(exc.IntegrityError, match="uq_registrations_active_email"),
        Session(engine) as session,
        session.begin(),
    ):
        driver.fetch_one(session, both, registration_params("carla@example.org", {}))  # written, then undone
        driver.fetch_one(session, both, registration_params("anna@example.org", {}))
    with Session(engine) as session:
        assert session.scalars(select(Registration.email)).all() == ["anna@example.org"]
        assert session.scalar(select(Outbox.id).order_by(Outbox.id.desc()).limit(1)) == 1


def test_an_update_reports_the_rows_it_matched(engine):
    claim, release = counters._statements(Listing)
    with Session(engine) as session, session.begin():
        session.execute(text("UPDATE listings SET capacity = 1"))
        assert driver.row_count(session, claim, {"counter_id": EVENT}) == 1
        assert driver.row_count(session, claim, {"counter_id": EVENT}) == 0, "full: the guard matched nothing"
        assert driver.row_count(session, release, {"counter_id": EVENT}) == 1
        assert driver.row_count(session, claim, {"counter_id": str(uuid.UUID(int=8))}) == 0, "no such event"
    with Session(engine) as session:
        assert session.scalar(select(Listing.confirmed_count)) == 0


def test_a_connection_lost_under_a_driver_statement_is_invalidated_not_pooled(engine):
    params = {"event_id": EVENT, "queued_at": dt.datetime.now(dt.timezone.utc), "id": "x", **gate.params(EVENT)}
    with pytest.raises(exc.DBAPIError) as raised, Session(engine) as session, session.begin():
        backend = session.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        driver.fetch_one(session, event_read._ENTER_AND_READ, params)
    assert raised.value.connection_invalidated
    with Session(engine) as session:  # the pool hands out a live connection, not the dead one
        assert session.execute(text("SELECT pg_backend_pid()")).scalar() != backend
        assert driver.fetch_one(session, event_read._ENTER_AND_READ, params)[0] == EVENT


def test_a_statement_with_expanding_parameters_is_refused():
    in_list = select(Listing.id).where(Listing.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="expanding"):
        driver.compiled_for(in_list, make_engine("postgresql+psycopg://nobody@127.0.0.1/none").dialect)
