"""The demo seed shows online delivery: an online course of three lessons on
three days in a Zoom room, and a hybrid seminar."""

from __future__ import annotations

from sqlalchemy import select

from services.scheduling.models import Event
from services.scheduling.programme import releases
from services.scheduling.seed import seed
from tests.factories import migrated_factory, settings_for


def test_the_demo_has_an_online_course_of_three_lessons_and_a_hybrid_seminar(tmp_path):
    settings = settings_for("scheduling", tmp_path)
    factory = migrated_factory("scheduling", settings)
    seed(settings)
    with factory() as session:
        course = session.scalars(select(Event).where(Event.delivery_mode == "online")).one()
        assert course.online is not None and course.online["platform"] == "zoom"
        lessons = releases.released_schedule(session, course.slug).sessions
        assert len(lessons) == 3 and len({lesson.starts_at.date() for lesson in lessons}) == 3
        (hybrid,) = session.scalars(select(Event).where(Event.delivery_mode == "hybrid"))
        assert hybrid.type == "seminar" and hybrid.venue and hybrid.online is not None
