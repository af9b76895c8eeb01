"""The demo's two-day congress: three rooms, two tracks, eight speakers,
fifteen sessions (two of them workshops with limited seats) and three breaks,
published and released as version 1.0 through the same use cases an
organiser's requests go through. It starts today, so the check-in desk and
the attendance of its sessions have something real to show; its workshops
are on the second day. The speakers and their employers are fictitious."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from shared.auth import Organiser

from . import events
from .models import Room, Speaker, Track
from .programme.items import add_item
from .programme.releases import release_schedule
from .programme.sessions import create_session

SLUG = "congresso-comuni-digitali"
CAPACITY = 30  # small, so that some of the demo's registrations wait in line

ROOMS = (("Sala Plenaria", 200), ("Sala Verde", 60), ("Sala Blu", 40))
TRACKS = {
    "digitale": ("Servizi digitali", "Digital services", "#0066CC"),
    "territorio": ("Territorio e partecipazione", "Territory and participation", "#008758"),
}
SPEAKERS = {
    "ferrari": ("Anna Ferrari", "Università degli Studi, Dipartimento di Informatica"),
    "esposito": ("Luca Esposito", "Comune di Pesaro, Servizi informativi"),
    "romano": ("Francesca Romano", "Agenzia regionale per l'innovazione"),
    "colombo": ("Paolo Colombo", "Comune di Cremona"),
    "ricci": ("Chiara Ricci", "Università degli Studi, Scuola di Giurisprudenza"),
    "marino": ("Giorgio Marino", "Associazione dei Comuni"),
    "greco": ("Elena Greco", "Comune di Matera"),
    "bruno": ("Stefano Bruno", "Unione dei Comuni della Valle"),
}


@dataclass(frozen=True)
class Slot:
    """One item of the programme: day 0 or 1, local start and end 'HH:MM',
    room by index (None: no room), track key, speaker keys, and the seats of
    a workshop (None: no sign-up)."""

    day: int
    starts: str
    ends: str
    title_it: str
    title_en: str
    room: int | None = 0
    track: str | None = None
    speakers: tuple[str, ...] = ()
    seats: int | None = None
    kind: str = "session"


PROGRAMME = (
    Slot(0, "09:00", "09:30", "Apertura dei lavori", "Opening", speakers=("marino",)),
    Slot(
        0, "09:30", "10:30", "Il comune come piattaforma", "The municipality as a platform", 0, "digitale", ("ferrari",)
    ),
    Slot(0, "10:30", "11:00", "Pausa caffè", "Coffee break", None, kind="break"),
    Slot(
        0,
        "11:00",
        "12:00",
        "Identità digitale e accesso ai servizi",
        "Digital identity and access to services",
        1,
        "digitale",
        ("esposito",),
    ),
    Slot(
        0,
        "11:00",
        "12:00",
        "Bilanci partecipativi: esperienze a confronto",
        "Participatory budgets compared",
        2,
        "territorio",
        ("colombo", "greco"),
    ),
    Slot(
        0,
        "12:00",
        "13:00",
        "Pagamenti elettronici per i servizi comunali",
        "Electronic payments for municipal services",
        1,
        "digitale",
        ("romano",),
    ),
    Slot(
        0,
        "12:00",
        "13:00",
        "Piccoli comuni e servizi associati",
        "Small municipalities and shared services",
        2,
        "territorio",
        ("bruno",),
    ),
    Slot(0, "13:00", "14:00", "Pranzo", "Lunch", None, kind="break"),
    Slot(
        0,
        "14:00",
        "15:30",
        "Tavola rotonda: dati aperti e trasparenza",
        "Round table: open data and transparency",
        0,
        "territorio",
        ("ricci", "esposito", "greco"),
    ),
    Slot(
        0,
        "15:30",
        "16:30",
        "Accessibilità dei siti comunali",
        "Accessibility of municipal websites",
        1,
        "digitale",
        ("ferrari",),
    ),
    Slot(
        0,
        "15:30",
        "16:30",
        "Comunicare con i cittadini nelle emergenze",
        "Talking to citizens in emergencies",
        2,
        "territorio",
        ("colombo",),
    ),
    Slot(
        1,
        "09:00",
        "10:00",
        "Intelligenza artificiale nella pubblica amministrazione",
        "Artificial intelligence in public administration",
        0,
        "digitale",
        ("romano", "ricci"),
    ),
    Slot(
        1,
        "10:00",
        "11:00",
        "Interoperabilità tra enti",
        "Interoperability between public bodies",
        1,
        "digitale",
        ("bruno",),
    ),
    Slot(
        1,
        "10:00",
        "11:00",
        "Rigenerazione urbana con i cittadini",
        "Urban regeneration with citizens",
        2,
        "territorio",
        ("greco",),
    ),
    Slot(1, "11:00", "11:15", "Pausa", "Break", None, kind="break"),
    Slot(
        1,
        "11:15",
        "13:00",
        "Laboratorio: progettare un servizio online",
        "Workshop: designing an online service",
        1,
        "digitale",
        ("ferrari", "esposito"),
        seats=12,
    ),
    Slot(
        1,
        "11:15",
        "13:00",
        "Laboratorio: facilitare un'assemblea pubblica",
        "Workshop: facilitating a public assembly",
        2,
        "territorio",
        ("marino", "colombo"),
        seats=10,
    ),
    Slot(1, "13:00", "13:30", "Conclusioni", "Closing remarks", 0, speakers=("marino",)),
)


def seed_congress(
    session: Session, organiser: Organiser, organisation_ids: list[str], today: dt.datetime, public_base_url: str
) -> str:
    """Create, publish and release the congress; `today` is local midnight."""
    event = events.create_event(
        session,
        organiser,
        {
            "slug": SLUG,
            "title_it": "Congresso «Comuni digitali»",
            "title_en": "Congress 'Digital municipalities'",
            "type": "congress",
            "timezone": "Europe/Rome",
            "venue": "Centro congressi, Via Roma 1",
            "description_it": (
                "Due giornate su servizi digitali, dati e partecipazione nei comuni: relazioni in due percorsi "
                "paralleli e due laboratori a posti limitati."
            ),
            "description_en": (
                "Two days on digital services, data and participation in municipalities: talks in two parallel "
                "tracks and two workshops with limited seats."
            ),
            "starts_at": _at(today, 0, PROGRAMME[0].starts),
            "ends_at": _at(today, 1, PROGRAMME[-1].ends),
            "capacity": CAPACITY,
            "organisation_ids": organisation_ids,
        },
    )
    events.publish_event(session, organiser, event.slug, public_base_url)
    rooms = [
        add_item(session, organiser, event.slug, Room, {"name": name, "capacity": capacity, "position": position})
        for position, (name, capacity) in enumerate(ROOMS)
    ]
    tracks = {
        key: add_item(session, organiser, event.slug, Track, {"name_it": it, "name_en": en, "colour": colour})
        for key, (it, en, colour) in TRACKS.items()
    }
    speakers = {
        key: add_item(
            session,
            organiser,
            event.slug,
            Speaker,
            {"name": name, "affiliation": affiliation, "bio_it": f"{name}, {affiliation}."},
        )
        for key, (name, affiliation) in SPEAKERS.items()
    }
    for slot in PROGRAMME:
        create_session(
            session,
            organiser,
            event.slug,
            {
                "kind": slot.kind,
                "title_it": slot.title_it,
                "title_en": slot.title_en,
                "abstract_it": "" if slot.kind == "break" else f"{slot.title_it}: una sessione del congresso.",
                "language": "it",
                "room_id": None if slot.room is None else rooms[slot.room].id,
                "track_id": tracks[slot.track].id if slot.track else None,
                "speaker_ids": [speakers[key].id for key in slot.speakers],
                "starts_at": _at(today, slot.day, slot.starts),
                "ends_at": _at(today, slot.day, slot.ends),
                "requires_signup": slot.seats is not None,
                "seat_limit": slot.seats,
            },
        )
    release_schedule(session, organiser, event.slug, name="1.0", public_base_url=public_base_url)
    return event.slug


def _at(today: dt.datetime, day: int, hhmm: str) -> dt.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return (today + dt.timedelta(days=day)).replace(hour=hour, minute=minute).astimezone(dt.timezone.utc)
