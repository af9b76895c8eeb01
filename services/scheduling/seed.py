"""Seed the embedded demo: the association of municipalities, the university,
an organiser account, a small seminar series in Italian (the first seminar
hybrid), an online course of three lessons and a two-day congress
(seed_congress.py), published through the outbox like any other event. The
registrations, categories and check-ins come later, through the HTTP APIs
(services/demo). Running it twice changes nothing. The demo's online
rooms point at example.org: no real meeting."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

from sqlalchemy import select

from shared.auth import Organiser
from shared.config import load_settings
from shared.db import make_engine, make_session_factory

from . import accounts, events
from .models import Account, Outbox, Room
from .programme.items import add_item
from .programme.releases import release_schedule
from .programme.sessions import create_session
from .seed_congress import seed_congress

ROME = zoneinfo.ZoneInfo("Europe/Rome")
DEMO_EMAIL = "organizzatore@example.org"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password")

SERIES = [
    (
        "Bilancio partecipativo nei piccoli comuni",
        "Participatory budgeting in small municipalities",
        "seminar",
        14,
        9,
        30,
        13,
        0,
        40,
        "Sala consiliare, Palazzo comunale",
    ),
    (
        "Appalti pubblici: il nuovo codice in pratica",
        "Public procurement: the new code in practice",
        "course",
        21,
        9,
        0,
        17,
        0,
        25,
        "Università, Aula Magna",
    ),
    (
        "Transizione digitale dei servizi comunali",
        "Digital transition of municipal services",
        "workshop",
        28,
        14,
        30,
        18,
        0,
        3,
        "Università, Laboratorio 2",
    ),
]


# The first seminar is also followed online; the course is online only.
HYBRID = {
    "Bilancio partecipativo nei piccoli comuni": {
        "platform": "teams",
        "join_url": "https://teams.example.org/l/meetup-join/bilancio-partecipativo",
    }
}
COURSE_ROOM = {
    "platform": "zoom",
    "join_url": "https://zoom.example.org/j/85500000001?pwd=demo",
    "meeting_id": "855 0000 0001",
    "passcode": "271828",
}
COURSE_FIRST_DAY, COURSE_LESSONS = 35, 3


def seed(settings=None) -> list[str]:
    settings = settings or load_settings("scheduling")
    factory = make_session_factory(make_engine(settings.database_url), service="scheduling", outbox_model=Outbox)
    with factory() as session, session.begin():
        if session.scalar(select(Account).where(Account.email == DEMO_EMAIL)):
            return []
        association = accounts.create_organisation(session, "Associazione dei Comuni", "associazione-comuni")
        university = accounts.create_organisation(session, "Università degli Studi", "universita")
        account = accounts.create_account(
            session,
            email=DEMO_EMAIL,
            name="Giulia Rossi",
            password=DEMO_PASSWORD,
            memberships={association.id: "owner", university.id: "organiser"},
        )
        organiser = Organiser(account.id, account.email, False, {association.id: "owner", university.id: "organiser"})
        base = dt.datetime.now(ROME).replace(hour=0, minute=0, second=0, microsecond=0)
        slugs = []
        for it, en, kind, days, h1, m1, h2, m2, capacity, venue in SERIES:
            day = base + dt.timedelta(days=days)
            event = events.create_event(
                session,
                organiser,
                {
                    "title_it": it,
                    "title_en": en,
                    "type": kind,
                    "timezone": "Europe/Rome",
                    "venue": venue,
                    "description_it": (
                        f"{it}: incontro della serie «Comuni e Università» per personale e amministratori."
                    ),
                    "description_en": f"{en}: part of the 'Municipalities and University' series.",
                    "starts_at": day.replace(hour=h1, minute=m1).astimezone(dt.timezone.utc),
                    "ends_at": day.replace(hour=h2, minute=m2).astimezone(dt.timezone.utc),
                    "capacity": capacity,
                    "organisation_ids": [association.id, university.id],
                    **({"delivery_mode": "hybrid", "online": HYBRID[it]} if it in HYBRID else {}),
                },
            )
            events.publish_event(session, organiser, event.slug, settings.public_base_url)
            _release_programme(session, organiser, event, venue, settings.public_base_url)
            slugs.append(event.slug)
        slugs.append(_online_course(session, organiser, university.id, base, settings.public_base_url))
        slugs.append(seed_congress(session, organiser, [association.id, university.id], base, settings.public_base_url))
        return slugs


def _online_course(session, organiser, university_id: str, base: dt.datetime, public_base_url: str) -> str:
    """An online course: three evening lessons on three days, all in the
    course's Zoom room, released as version 1.0."""
    first = base + dt.timedelta(days=COURSE_FIRST_DAY)
    last = first + dt.timedelta(days=COURSE_LESSONS - 1)
    event = events.create_event(
        session,
        organiser,
        {
            "title_it": "Corso online: protezione dei dati negli enti locali",
            "title_en": "Online course: data protection in local authorities",
            "type": "course",
            "timezone": "Europe/Rome",
            "venue": "",
            "description_it": "Tre lezioni serali online sul GDPR per il personale dei comuni.",
            "description_en": "Three online evening lessons on the GDPR for municipal staff.",
            "starts_at": first.replace(hour=17).astimezone(dt.timezone.utc),
            "ends_at": last.replace(hour=19).astimezone(dt.timezone.utc),
            "capacity": 100,
            "organisation_ids": [university_id],
            "delivery_mode": "online",
            "online": COURSE_ROOM,
            "join_link_lead_minutes": 30,
        },
    )
    events.publish_event(session, organiser, event.slug, public_base_url)
    for n in range(COURSE_LESSONS):
        day = first + dt.timedelta(days=n)
        create_session(
            session,
            organiser,
            event.slug,
            {
                "title_it": f"Lezione {n + 1}",
                "title_en": f"Lesson {n + 1}",
                "starts_at": day.replace(hour=17).astimezone(dt.timezone.utc),
                "ends_at": day.replace(hour=19).astimezone(dt.timezone.utc),
                "abstract_it": f"Lezione {n + 1} di {COURSE_LESSONS} del corso online.",
                "language": "it",
            },
        )
    release_schedule(session, organiser, event.slug, name="1.0", public_base_url=public_base_url)
    return event.slug


def _release_programme(session, organiser, event, venue: str, public_base_url: str) -> None:
    """A room, an opening talk and a discussion, released as version 1.0,
    so the demo's feeds and schedule exports have something to show."""
    room = add_item(session, organiser, event.slug, Room, {"name": venue.split(", ")[-1], "capacity": 80})
    middle = event.starts_at + (event.ends_at - event.starts_at) / 2
    for title_it, title_en, starts, ends in (
        ("Apertura e presentazione", "Opening and introduction", event.starts_at, middle),
        ("Discussione con i partecipanti", "Discussion with participants", middle, event.ends_at),
    ):
        create_session(
            session,
            organiser,
            event.slug,
            {
                "title_it": title_it,
                "title_en": title_en,
                "room_id": room.id,
                "starts_at": starts,
                "ends_at": ends,
                "abstract_it": f"{title_it} dell'incontro «{event.title_it}».",
                "language": "it",
            },
        )
    release_schedule(session, organiser, event.slug, name="1.0", public_base_url=public_base_url)


if __name__ == "__main__":
    created = seed()
    print("demo seeded: " + ", ".join(created) if created else "demo already seeded")
    print(f"organiser login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
