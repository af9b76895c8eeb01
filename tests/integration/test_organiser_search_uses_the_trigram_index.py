"""The organisers' search finds the same registrations as the per-field LIKE it
replaced (accents, case, 2 and 5 characters, LIKE's wildcards, a text that
straddles two fields), and on PostgreSQL a search of 3 characters or more is
answered from the trigram index ix_registrations_search, which the per-field
LIKE is not."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
from sqlalchemy import func, insert, or_, select, text
from sqlalchemy.orm import Session

from services.registration import organiser
from services.registration.models import Listing, Registration
from services.registration.models.registration import searched_text
from shared.db import make_engine
from shared.migrate import upgrade

EVENT_ID = "7b0f3c9e-2222-4a4a-9c9c-0000000000aa"
OTHER_EVENT = "7b0f3c9e-2222-4a4a-9c9c-0000000000bb"
FILLER = 20_000  # enough rows for the planner to prefer an index to reading them all
UTC = dt.timezone.utc
NAMED = [  # first name, last name, e-mail, organisation
    ("José", "Núñez", "jose.nunez@example.org", "Comune di Forlì"),
    ("ANNA", "Rossi", "anna.rossi@example.org", "Regione Lazio"),
    ("Anna", "Rossini", "a.rossini@example.org", ""),
    ("Élodie", "D'Angelo", "elodie@example.org", "ASL Roma 1"),
    ("Mario", "Bianchi", "mario_rossi@example.org", "Comune di Ro"),
    ("Luca", "Verdi", "luca.verdi@example.org", "Università di Torino"),
    ("Paolo", "Rizzo", "prizzo@example.org", ""),  # "paolo" and "rizzo" side by side hold "o_r"
]
QUERIES = [
    "josé",
    "JOSÉ",  # case (as before: whatever lower() does to É on this database)
    "Núñez",
    "nunez",  # in the e-mail only
    "forlì",
    "Rossi",
    "ro",  # 2 characters: the plain LIKE
    "rossi",  # 5 characters: from the index
    "  ROSSINI  ",  # trimmed
    "anna rossi",  # first and last name together: no single field holds it
    "o_r",  # LIKE's `_` may cross from one field into the next
    "ros_i",
    "ma%ro",
    "d'angelo",
    "università",
    "zzzzzz",
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else f"sqlite:///{tmp_path / 'r.db'}"
    upgrade("registration", url)
    engine = make_engine(url)
    with engine.begin() as connection:
        starts = dt.datetime(2031, 5, 20, 7, 0, tzinfo=UTC)
        for event_id, slug in ((EVENT_ID, "cercato"), (OTHER_EVENT, "altro")):
            connection.execute(
                insert(Listing).values(
                    id=event_id,
                    slug=slug,
                    title_it="Congresso",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(days=1),
                    timezone="Europe/Rome",
                    status="published",
                    organisation_ids=[],
                    capacity=100_000,
                    confirmed_count=0,
                    revision=1,
                )
            )
        rows = [row(k, f"Persona{k}", f"Cognome{k}", f"p{k}@example.net", f"Ente {k % 300}") for k in range(FILLER)]
        rows += [row(FILLER + i, *fields) for i, fields in enumerate(NAMED)]
        rows.append(row(FILLER + 100, "Anna", "Rossi", "erased@example.org", "", erased_at=starts))  # not listed
        rows.append(row(FILLER + 101, "Anna", "Rossi", "other@example.org", "", event_id=OTHER_EVENT))
        connection.execute(insert(Registration), rows)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE registrations"))
    yield engine
    engine.dispose()


def row(k: int, first: str, last: str, email: str, organisation: str, **overrides) -> dict:
    moment = dt.datetime(2031, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=k)
    return {
        "id": str(uuid.UUID(int=k + 1)),
        "event_id": EVENT_ID,
        "first_name": first,
        "last_name": last,
        "email": email,
        "organisation": organisation,
        "locale": "it",
        "answers": {},
        "status": "confirmed",
        "token_hash": hashlib.sha256(str(k).encode()).hexdigest(),
        "revision": 1,
        "queued_at": moment,
        "created_at": moment,
        "updated_at": moment,
        **overrides,
    }


def per_field_like(q: str):
    """The search as it was: lower(field) LIKE '%q%' for each of the four fields."""
    like = f"%{q.strip().lower()}%"
    fields = (Registration.first_name, Registration.last_name, Registration.email, Registration.organisation)
    return or_(*(func.lower(field).like(like) for field in fields))


def listed():
    """The event's registrations that the list shows (not erased), by id."""
    return select(Registration.id).where(Registration.event_id == EVENT_ID, Registration.erased_at.is_(None))


def test_the_search_finds_the_registrations_the_per_field_like_found(engine):
    with Session(engine) as session:
        listing = session.get_one(Listing, EVENT_ID)
        found_any = 0
        for q in QUERIES:
            now = set(session.scalars(organiser.matching(listing, q=q).with_only_columns(Registration.id)))
            before = set(session.scalars(listed().where(per_field_like(q))))
            assert now == before, q
            found_any += bool(now)
        assert found_any >= len(QUERIES) - 3  # the comparison is not between empty sets
        assert len(set(session.scalars(organiser.matching(listing, q="ro").with_only_columns(Registration.id)))) >= 4
        # control: the joined text alone would find "anna rossi" across first and last name
        # (with the separator as a space), which the per-field LIKE, and so the search, does not
        spaced = session.scalars(
            listed().where(func.lower(Registration.first_name + " " + Registration.last_name).like("%anna rossi%"))
        ).all()
        assert spaced and not set(session.scalars(listed().where(per_field_like("anna rossi"))))
        if engine.dialect.name == "postgresql":  # where the search reads the joined text
            # control: `_` matches the separator of the joined text, so "o_r" alone would cross fields there
            crossing = session.scalars(listed().where(searched_text(Registration).like("%o_r%"))).all()
            assert set(crossing) - set(session.scalars(listed().where(per_field_like("o_r"))))


def plan(session: Session, statement) -> str:
    compiled = statement.compile(dialect=session.get_bind().dialect)
    connection = session.connection()
    return "\n".join(r[0] for r in connection.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params))


@pytest.mark.parametrize("engine", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_search_of_three_characters_or_more_is_answered_from_the_trigram_index(engine):
    with Session(engine) as session:
        listing = session.get_one(Listing, EVENT_ID)
        for q in ("rossi", "Núñez", "anna rossi", "ros_i"):  # "ros_i": the per-field test beside the index
            count = select(text("count(*)")).select_from(
                organiser.matching(listing, q=q).with_only_columns(Registration.id).subquery()
            )
            assert "ix_registrations_search" in plan(session, count), q
        # control: the per-field LIKE it replaced reads the rows, the index cannot answer it
        assert "ix_registrations_search" not in plan(session, listed().where(per_field_like("rossi")))
        # and under 3 characters there is no trigram to look up: the plain LIKE
        assert "ix_registrations_search" not in plan(
            session, organiser.matching(listing, q="ro").with_only_columns(Registration.id)
        )
