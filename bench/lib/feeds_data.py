"""Data and in-process timings for bench/feeds.py: the 1,000-session event,
our cold render path, and icalendar alone on the same events."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

from icalendar import Calendar, Event

from services.scheduling import accounts, events
from services.scheduling.feeds import FeedTarget, build_feed, description_of, host_of, session_uid
from services.scheduling.models import Outbox, ProgrammeSession, Room, SessionSpeaker, Speaker
from services.scheduling.programme import releases
from services.scheduling.schedule_cache import ScheduleCache
from shared.auth import Organiser
from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.migrate import upgrade

BENCH_SLUG = "benchcon-2027"
ROME = zoneinfo.ZoneInfo("Europe/Rome")
DAYS, ROOMS, SLOTS = 4, 10, 25
WORDS = (
    "comune città bilancio partecipazione trasparenza servizi digitali qualità territorio "
    "cittadini università formazione procedura appalti sostenibilità"
).split()


def factory():
    settings = load_settings("scheduling")
    return make_session_factory(make_engine(settings.database_url), service="scheduling", outbox_model=Outbox)


def seed() -> float:
    """Migrate, create the event (4 days, 10 rooms, 1,000 sessions, one
    speaker each) and release it; returns the seconds it took."""
    started = time.perf_counter()
    settings = load_settings("scheduling")
    upgrade("scheduling", settings.database_url)
    with factory()() as session, session.begin():
        org = accounts.create_organisation(session, "Bench", "bench")
        organiser = Organiser("bench", "bench@example.org", False, {org.id: "owner"})
        event = events.create_event(
            session,
            organiser,
            {
                "slug": BENCH_SLUG,
                "title_it": "BenchCon: città e comuni",
                "type": "conference",
                "starts_at": _local(0, 9, 0),
                "ends_at": _local(DAYS - 1, 22, 0),
                "timezone": "Europe/Rome",
                "venue": "Palazzo dei congressi",
            },
        )
        events.publish_event(session, organiser, BENCH_SLUG, settings.public_base_url)
        rooms = [Room(event_id=event.id, name=f"Sala {n + 1}", capacity=100, position=n) for n in range(ROOMS)]
        session.add_all(rooms)
        session.flush()
        _sessions(session, event.id, rooms)
        releases.release_schedule(session, organiser, BENCH_SLUG, name="1.0", public_base_url=settings.public_base_url)
    return time.perf_counter() - started


def _sessions(session, event_id: str, rooms: list[Room]) -> None:
    n = 0
    for day in range(DAYS):
        for room in rooms:
            for slot in range(SLOTS):
                n += 1
                speaker = Speaker(
                    event_id=event_id,
                    name=f"Relatrice {n} Àlvarez",
                    affiliation="Comune di Forlì",
                    bio_it=_words(n, 30),
                    email=f"speaker{n}@example.org",
                )
                start = _local(day, 9, 0) + dt.timedelta(minutes=30 * slot)
                row = ProgrammeSession(
                    event_id=event_id,
                    title_it=f"Sessione {n}: {_words(n, 5)}",
                    abstract_it=_words(n, 20),
                    room_id=room.id,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=30),
                )
                session.add_all([speaker, row])
                session.flush()
                session.add(SessionSpeaker(session_id=row.id, speaker_id=speaker.id, position=0))
    session.flush()
    session.expire_all()


def _local(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2027, 3, 1 + day, hour, minute, tzinfo=ROME).astimezone(dt.timezone.utc)


def _words(seed: int, count: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(count)).capitalize() + "."


def cold_render() -> float:
    """Seconds for a process with empty caches to produce the feed: look up
    the release, load and parse its snapshot, render, hash for the ETag."""
    settings = load_settings("scheduling")
    cache = ScheduleCache(factory())
    host, url = host_of(settings.public_base_url), f"{settings.public_base_url}/scheduling/events/{BENCH_SLUG}"
    now = dt.datetime(2027, 2, 1, tzinfo=dt.timezone.utc)
    started = time.perf_counter()
    rendered = cache.rendered(
        BENCH_SLUG, "schedule.ics", lambda s: build_feed(s, FeedTarget(), host=host, event_url=url, now=now), now
    )
    elapsed = time.perf_counter() - started
    assert rendered is not None and rendered.body.count(b"BEGIN:VEVENT") == DAYS * ROOMS * SLOTS
    return elapsed


def baseline_render() -> float:
    """Seconds for icalendar alone to build and serialise the same 1,000
    events (same properties and values, prepared beforehand)."""
    values = _event_values()
    started = time.perf_counter()
    calendar = Calendar()
    calendar.add("prodid", "-//Bench//IT")
    calendar.add("version", "2.0")
    for v in values:
        event = Event()
        for name in (
            "uid",
            "sequence",
            "dtstamp",
            "last-modified",
            "dtstart",
            "dtend",
            "summary",
            "description",
            "location",
            "status",
            "url",
        ):
            event.add(name, v[name])
        calendar.add_component(event)
    body = calendar.to_ical()
    elapsed = time.perf_counter() - started
    assert body.count(b"BEGIN:VEVENT") == DAYS * ROOMS * SLOTS
    return elapsed


def _event_values() -> list[dict]:
    settings = load_settings("scheduling")
    schedule = ScheduleCache(factory()).current_schedule(BENCH_SLUG)
    host = host_of(settings.public_base_url)
    return [
        {
            "uid": session_uid(s.entry["guid"], host),
            "sequence": s.entry["sequence"],
            "dtstamp": s.updated_at,
            "last-modified": s.updated_at,
            "dtstart": s.starts_at,
            "dtend": s.ends_at,
            "summary": s.title(),
            "description": description_of(s),
            "location": s.entry["room"]["name"],
            "status": "CONFIRMED",
            "url": f"https://x.example/#session-{s.id}",
        }
        for s in schedule.talks()
    ]
