"""The measured steps of bench/fanout.py: the smtplib baseline, the schedule
fan-out, and registration-to-confirmation latency under a steady load."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
import time
from dataclasses import dataclass

import requests
from sqlalchemy import update

from bench.lib.fanout_stack import Stack
from services.notifications import registrations as notify
from services.notifications.calendar.calendar_items import event_calendar
from services.notifications.config import load_config
from services.notifications.mail.mime import build_mail
from services.notifications.models import Delivery, Invitation
from services.notifications.models import Outbox as NotifyOutbox
from services.notifications.workshop_invitations import workshop_changed
from services.scheduling import accounts as scheduling_accounts
from services.scheduling import events as scheduling
from services.scheduling.models import Outbox as SchedulingOutbox
from services.scheduling.models import ProgrammeSession, Room
from services.scheduling.programme import releases
from shared.auth import Organiser
from shared.config import load_settings
from shared.db import make_engine, make_session_factory

UTC = dt.timezone.utc
START = dt.datetime(dt.date.today().year + 1, 3, 10, 8, 0, tzinfo=UTC)


@dataclass
class Programme:
    organiser: Organiser
    slug: str
    session_id: int
    people: int


def factory(service: str, outbox):
    return make_session_factory(make_engine(load_settings(service).database_url), service=service, outbox_model=outbox)


# --- (a) fan-out ---------------------------------------------------------------------


def prepare_fanout(stack: Stack, people: int) -> Programme:
    """A released event with one workshop, and `people` seat holders known to
    notifications (their seed mails marked sent: only the update is measured)."""
    programme, event_data, guid = _scheduling_event(people)
    notifications = factory("notifications", NotifyOutbox)
    config = load_config(load_settings("notifications"))
    for start in range(0, people, 250):
        with notifications() as session, session.begin():
            for n in range(start, min(start + 250, people)):
                notify.registration_changed(session, _registration(n, event_data), config)
                workshop_changed(session, _seat(n, event_data, guid), config)
    with notifications() as session, session.begin():
        session.execute(update(Delivery).values(status="sent"))
    return programme


def _scheduling_event(people: int) -> tuple[Programme, dict, str]:
    settings = load_settings("scheduling")
    with factory("scheduling", SchedulingOutbox)() as session, session.begin():
        org = scheduling_accounts.create_organisation(session, "Bench fan-out", "bench-fanout")
        organiser = Organiser("bench", "bench@example.org", False, {org.id: "owner"})
        event = scheduling.create_event(
            session,
            organiser,
            {
                "slug": "fanout-2027",
                "title_it": "Congresso dei comuni",
                "title_en": "Congress of municipalities",
                "type": "congress",
                "starts_at": START,
                "ends_at": START + dt.timedelta(hours=9),
                "timezone": "Europe/Rome",
                "venue": "Palazzo dei congressi",
                "capacity": people * 2,
            },
        )
        scheduling.publish_event(session, organiser, event.slug, settings.public_base_url)
        room = Room(event_id=event.id, name="Aula 1", capacity=people, position=0)
        session.add(room)
        session.flush()
        row = ProgrammeSession(
            event_id=event.id,
            title_it="Laboratorio: bilancio partecipativo",
            room_id=room.id,
            starts_at=START + dt.timedelta(hours=2),
            ends_at=START + dt.timedelta(hours=3),
            requires_signup=True,
            seat_limit=people,
        )
        session.add(row)
        session.flush()
        releases.release_schedule(session, organiser, event.slug, name="1.0", public_base_url=settings.public_base_url)
        data = scheduling.event_data(event, settings.public_base_url)
        return Programme(organiser, event.slug, row.id, people), data, row.guid


def _person(n: int) -> dict:
    return {
        "first_name": f"Persona{n}",
        "last_name": "Bench",
        "email": f"fanout{n}@example.org",
        "organisation": "Comune",
        "locale": "it" if n % 3 else "en",
    }


def _registration(n: int, event: dict) -> dict:
    return {
        "registration_id": f"00000000-0000-4000-8000-{n:012d}",
        "event_id": event["event_id"],
        "revision": 1,
        "status": "confirmed",
        "participant": _person(n),
        "manage_url": None,
        "waitlist_position": None,
        "event": {
            k: event[k]
            for k in ("event_id", "slug", "title", "starts_at", "ends_at", "timezone", "venue", "url", "revision")
        },
    }


def _seat(n: int, event: dict, guid: str) -> dict:
    return {
        "signup_id": n + 1,
        "registration_id": f"00000000-0000-4000-8000-{n:012d}",
        "event_id": event["event_id"],
        "revision": 1,
        "status": "confirmed",
        "participant": _person(n),
        "event": _registration(n, event)["event"],
        "session": {
            "session_id": 1,
            "guid": guid,
            "title": {"it": "Laboratorio: bilancio partecipativo"},
            "starts_at": START + dt.timedelta(hours=2),
            "ends_at": START + dt.timedelta(hours=3),
            "room": "Aula 1",
            "status": "confirmed",
        },
    }


def fanout_seconds(stack: Stack, programme: Programme, *, round_number: int) -> float:
    """Move the workshop by an hour and release; seconds until the last update mail arrived."""
    before = stack.quiet(seconds=1.0)
    settings = load_settings("scheduling")
    with factory("scheduling", SchedulingOutbox)() as session, session.begin():
        row = session.get(ProgrammeSession, programme.session_id)
        shift = dt.timedelta(hours=round_number)
        row.starts_at, row.ends_at = START + dt.timedelta(hours=2) + shift, START + dt.timedelta(hours=3) + shift
        row.updated_at = dt.datetime.now(UTC)
        releases.release_schedule(
            session,
            programme.organiser,
            programme.slug,
            name=f"1.{round_number}",
            public_base_url=settings.public_base_url,
        )
    started = time.time()  # the release is committed: from here its event can travel
    arrived = stack.wait_for_arrivals(programme.people, after=before, timeout=300)
    return arrived[programme.people - 1][0] - started


# --- the baseline ----------------------------------------------------------------------


def baseline_seconds(stack: Stack, count: int) -> float:
    """A plain smtplib loop over one connection sending `count` prebuilt
    invitation mails of the same shape as the fan-out's."""
    messages = _prebuilt(count)
    before = stack.quiet(seconds=0.5)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", stack.smtp_port) as client:
        for recipient, raw in messages:
            client.sendmail("noreply@eventi.localhost", [recipient], raw)
    elapsed = time.perf_counter() - started
    stack.wait_for_arrivals(count, after=before, timeout=120)
    return elapsed


def _prebuilt(count: int) -> list[tuple[str, bytes]]:
    config = load_config(load_settings("notifications"))
    event = {
        "title": {"it": "Congresso dei comuni"},
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=1),
        "venue": "Aula 1",
        "url": None,
    }
    out = []
    for n in range(count):
        person = _person(n)
        invitation = Invitation(uid=f"bench-{n}@eventi.localhost", sequence=1)
        ics = event_calendar(config, invitation, event, person, "REQUEST")
        mail = build_mail(
            sender=config.settings.mail_from,
            recipient=person["email"],
            recipient_name="Persona",
            subject="Cambio di programma: Laboratorio",
            text="Testo del messaggio\n" * 20,
            html="<p>Testo del messaggio</p>" * 20,
            calendar=ics,
            method="REQUEST",
        )
        out.append((person["email"], mail.raw))
    return out


# --- (b) latency ---------------------------------------------------------------------------


def registration_latencies(stack: Stack, *, rate: float, seconds: float) -> list[float]:
    """POST registrations at a steady `rate`; seconds from each POST to its
    confirmation mail at the SMTP server."""
    slug = _open_event(stack)
    total = int(rate * seconds)
    sent: dict[str, float] = {}
    before = stack.quiet(seconds=1.0)
    begin = time.time() + 0.5
    workers = [
        threading.Thread(target=_post_share, args=(stack, slug, begin, rate, total, k, 16, sent)) for k in range(16)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 120)
    arrived = stack.wait_for_arrivals(len(sent), after=before, timeout=120)
    first = {}
    for at, rcpt in arrived:
        first.setdefault(rcpt, at)
    return sorted(first[email] - at for email, at in sent.items() if email in first)


def _open_event(stack: Stack) -> str:
    settings = load_settings("scheduling")
    with factory("scheduling", SchedulingOutbox)() as session, session.begin():
        org = scheduling_accounts.create_organisation(session, "Bench latency", "bench-latency")
        organiser = Organiser("bench-l", "bench-l@example.org", False, {org.id: "owner"})
        event = scheduling.create_event(
            session,
            organiser,
            {
                "slug": "latency-2027",
                "title_it": "Seminario",
                "type": "seminar",
                "starts_at": START,
                "ends_at": START + dt.timedelta(hours=4),
                "timezone": "Europe/Rome",
                "venue": "Sala",
                "capacity": 100000,
            },
        )
        scheduling.publish_event(session, organiser, event.slug, settings.public_base_url)
        slug = event.slug
    url = f"http://127.0.0.1:{stack.web_port}/registration/api/v1/events/{slug}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return slug
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("registration never opened the latency event")


def _post_share(
    stack: Stack, slug: str, begin: float, rate: float, total: int, k: int, threads: int, sent: dict
) -> None:
    url = f"http://127.0.0.1:{stack.web_port}/registration/api/v1/events/{slug}/registrations"
    with requests.Session() as http:
        for n in range(k, total, threads):
            delay = begin + n / rate - time.time()
            if delay > 0:
                time.sleep(delay)
            email = f"latency{n}@example.org"
            at = time.time()
            response = http.post(
                url,
                json={
                    "first_name": "Lat",
                    "last_name": f"N{n}",
                    "email": email,
                    "locale": "it",
                    "privacy_consent": True,
                },
                timeout=30,
            )
            if response.status_code == 201:
                sent[email] = at
