"""The demo that `make run` seeds: published events with a released programme
(the online course itself is checked by test_online_demo_seed.py)."""

from __future__ import annotations

from sqlalchemy import select

from services.scheduling.models import Outbox
from services.scheduling.programme import releases
from services.scheduling.seed import seed
from tests.factories import migrated_factory, settings_for


def test_the_demo_is_seeded_once_with_a_released_programme_per_event(tmp_path):
    settings = settings_for("scheduling", tmp_path)
    factory = migrated_factory("scheduling", settings)
    slugs = seed(settings)
    assert len(slugs) == 4 and seed(settings) == []
    with factory() as session:
        for slug in slugs:
            assert len(releases.released_schedule(session, slug).sessions) in (2, 3)
        keys = [row.routing_key for row in session.scalars(select(Outbox))]
    assert keys.count("event.published") == 4 and keys.count("schedule.released") == 4
