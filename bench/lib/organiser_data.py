"""Data for bench/organiser_pages.py: one event with N registrations bulk
inserted into a migrated registration database (SQLite or PostgreSQL), and
the registration app with an organiser's cookie to ask its pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

from sqlalchemy import insert

from services.registration.models import Category, CheckIn, Listing, ProgrammeSession, Registration
from shared.auth import Organiser, ensure_keypair, issue_token
from shared.config import load_settings
from shared.db import make_engine
from shared.migrate import upgrade
from shared.web.auth import COOKIE

SLUG = "bench-congresso"
ORG = "0a000000-0000-4000-8000-0000000000be"
EVENT_ID = "7b0f3c9e-1111-4a4a-9c9c-0000000000be"
UTC = dt.timezone.utc
FIRST = "Anna Marco Giulia Luca Sara Paolo Chiara Andrea Elena Davide Francesca Matteo".split()
LAST = "Rossi Bianchi Russo Ferrari Esposito Romano Colombo Ricci Marino Greco Bruno Gallo Conti".split()
BATCH = 5000


def settings_for(var_dir, database_url: str):
    return load_settings("registration", var_dir=var_dir, database_url=database_url, broker_url="filesystem://")


def seed(settings, n: int) -> None:
    """Migrate and insert the event, 2 categories, 3 sessions, `n` registrations
    (80 % confirmed, 10 % waitlisted, 5 % pending, 5 % cancelled; 300
    organisations; over 60 days) and a check-in for half the confirmed."""
    upgrade("registration", settings.database_url)
    rng = random.Random(n)
    starts = dt.datetime(2031, 5, 20, 7, 0, tzinfo=UTC)
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(
            insert(Listing).values(
                id=EVENT_ID,
                slug=SLUG,
                title_it="Congresso nazionale dei comuni",
                starts_at=starts,
                ends_at=starts + dt.timedelta(days=2),
                timezone="Europe/Rome",
                status="published",
                organisation_ids=[ORG],
                capacity=int(n * 0.85),
                confirmed_count=int(n * 0.8),
                revision=1,
            )
        )
        categories = [
            connection.execute(
                insert(Category)
                .values(event_id=EVENT_ID, code=code, label_it=label, quota=quota, position=i)
                .returning(Category.id)
            ).scalar_one()
            for i, (code, label, quota) in enumerate(
                (("staff", "Personale", n // 2), ("elected", "Amministratori", None))
            )
        ]
        for i in range(3):
            connection.execute(
                insert(ProgrammeSession).values(
                    id=9000 + i,
                    event_id=EVENT_ID,
                    guid=str(uuid.uuid4()),
                    kind="session",
                    status="confirmed",
                    title_it=f"Sessione {i + 1}",
                    starts_at=starts + dt.timedelta(hours=2 * i),
                    ends_at=starts + dt.timedelta(hours=2 * i + 1),
                )
            )
        created0 = starts - dt.timedelta(days=90)
        for offset in range(0, n, BATCH):
            rows, checkins = [], []
            for k in range(offset, min(offset + BATCH, n)):
                status = (
                    "confirmed"
                    if k % 20 < 16
                    else ("waitlisted" if k % 20 < 18 else ("pending" if k % 20 < 19 else "cancelled"))
                )
                moment = created0 + dt.timedelta(seconds=rng.randrange(60 * 86400))
                registration_id = str(uuid.UUID(int=k + 1))
                rows.append(
                    {
                        "id": registration_id,
                        "event_id": EVENT_ID,
                        "first_name": rng.choice(FIRST),
                        "last_name": f"{rng.choice(LAST)}{k}",
                        "email": f"p{k}@example.org",
                        "organisation": f"Comune {rng.randrange(300)}",
                        "role": "",
                        "locale": "it",
                        "category_id": categories[k % 2],
                        "answers": {},
                        "status": status,
                        "holds_seat": status == "confirmed",
                        "token_hash": hashlib.sha256(str(k).encode()).hexdigest(),
                        "revision": 1,
                        "queued_at": moment,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
                if status == "confirmed" and k % 2 == 0:
                    checkins.append(
                        {
                            "registration_id": registration_id,
                            "event_id": EVENT_ID,
                            "scope": "session:9000",
                            "checked_in_at": starts,
                            "checked_in_by": "bench",
                        }
                    )
            connection.execute(insert(Registration), rows)
            if checkins:
                connection.execute(insert(CheckIn), checkins)
    engine.dispose()


def client(settings):
    """The registration app's test client with an organiser's cookie and a
    trivial page, /bench/hello, for the baseline."""
    from flask import jsonify

    from services.registration.app import create_app

    ensure_keypair(settings.jwt_private_key_path, settings.jwt_public_key_path)
    app = create_app({"SETTINGS": settings, "TESTING": True, "RATELIMIT_ENABLED": False})
    app.add_url_rule("/bench/hello", "bench_hello", lambda: jsonify(hello="world"))
    test_client = app.test_client()
    token = issue_token(
        settings.jwt_private_key_path.read_bytes(), Organiser("bench", "b@example.org", False, {ORG: "owner"})
    )
    test_client.set_cookie(COOKIE, token)  # the pages read the cookie, the API the bearer token
    test_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return test_client
