"""The demo that `make run` seeds: published events with a released programme,
among them a two-day congress (the online course itself is checked by
test_online_demo_seed.py; its registrations by tests/e2e/test_demo_fills_the_system.py)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select

from services.scheduling.models import Event, Outbox, Room, Speaker, Track
from services.scheduling.programme import releases
from services.scheduling.seed import seed
from services.scheduling.seed_congress import SLUG
from tests.factories import migrated_factory, settings_for

ROME = zoneinfo.ZoneInfo("Europe/Rome")


def test_the_demo_is_seeded_once_with_a_released_programme_per_event(tmp_path):
    settings = settings_for("scheduling", tmp_path)
    factory = migrated_factory("scheduling", settings)
    slugs = seed(settings)
    assert len(slugs) == 5 and SLUG in slugs and seed(settings) == []
    with factory() as session:
        for slug in set(slugs) - {SLUG}:
            assert len(releases.released_schedule(session, slug).sessions) in (2, 3)
        keys = [row.routing_key for row in session.scalars(select(Outbox))]
    assert keys.count("event.published") == 5 and keys.count("schedule.released") == 5


def test_the_congress_has_two_days_three_rooms_two_tracks_eight_speakers_and_two_workshops(tmp_path):
    settings = settings_for("scheduling", tmp_path)
    factory = migrated_factory("scheduling", settings)
    seed(settings)
    with factory() as session:
        congress = session.scalars(select(Event).where(Event.slug == SLUG)).one()
        assert congress.type == "congress" and congress.status == "published" and congress.capacity == 30
        released = releases.released_schedule(session, SLUG)
        version = releases.latest_version(session, congress.id)
        rooms = session.scalars(select(Room).where(Room.event_id == congress.id)).all()
        tracks = session.scalars(select(Track).where(Track.event_id == congress.id)).all()
        speakers = session.scalars(select(Speaker).where(Speaker.event_id == congress.id)).all()
    talks = [s for s in released.sessions if not s.is_break]
    workshops = [s for s in talks if s.entry["requires_signup"]]
    assert version is not None and version.name == "1.0" and not version.forced  # no conflicts to force past
    assert len(rooms) == 3 and len(tracks) == 2 and len(speakers) == 8
    assert len(talks) == 15 and len(released.sessions) - len(talks) == 3  # and three breaks
    assert [w.entry["seat_limit"] for w in workshops] == [12, 10]
    days = {s.starts_at.astimezone(ROME).date() for s in released.sessions}
    today = dt.datetime.now(ROME).date()
    assert days == {today, today + dt.timedelta(days=1)}  # it starts today: check-ins are real
    assert {w.starts_at.astimezone(ROME).date() for w in workshops} == {today + dt.timedelta(days=1)}
