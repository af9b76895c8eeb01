"""Notifications under test: a migrated database, events fed through the real
dispatch (envelope validation + inbox), and the mails read back from the
delivery log with the standard library's parser."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from email import message_from_bytes, policy
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import select

from services.notifications import digests
from services.notifications.config import NotifyConfig
from services.notifications.models import Delivery, Inbox
from services.notifications.worker.handlers import build_handlers
from shared.auth import Organiser, ensure_keypair, issue_token
from shared.envelope import build_envelope
from shared.messaging.dispatch import dispatch
from tests.factories import migrated_factory, settings_for

GOLDEN = Path(__file__).parents[1] / "unit" / "golden"
UTC = dt.timezone.utc
EVENT_ID = "7b0f3c9e-1111-4a4a-9c9c-000000000001"
ORGANISATION = "a1b2c3d4-0000-4000-8000-00000000000a"
ORGANIZER = "programma@eventi.example"


class Notifications:
    """One notifications database with its handlers, fed like the worker does."""

    def __init__(self, tmp_path: Path, *, database_url: str | None = None, **options):
        self.settings = settings_for(
            "notifications",
            tmp_path,
            database_url=database_url,
            organizer_email=ORGANIZER,
            public_base_url="https://eventi.example",
            mail_from="Eventi <noreply@eventi.example>",
            jwt_private_key_path=tmp_path / "keys" / "private.pem",
            jwt_public_key_path=tmp_path / "keys" / "public.pem",
        )
        self.factory = migrated_factory("notifications", self.settings)
        defaults = {"digest_window": dt.timedelta(0), "certificate_font": None}
        self.config = NotifyConfig(settings=self.settings, **{**defaults, **options})
        self.handlers = build_handlers(self.config)

    def publish(self, event_type: str, data: dict, *, message_id: str | None = None):
        """Deliver one event (a fresh message id unless given)."""
        envelope = build_envelope(event_type, data, producer="test")
        if message_id:
            envelope["id"] = message_id
        return dispatch(
            json.dumps(envelope),
            consumer="notifications",
            handlers=self.handlers,
            session_factory=self.factory,
            inbox_model=Inbox,
        )

    def client(self, clock=None, **options):
        """A test client of the notifications app on this database (with
        this driver's NotifyConfig, changed by `options`)."""
        from services.notifications.app import create_app

        ensure_keypair(self.settings.jwt_private_key_path, self.settings.jwt_public_key_path)
        config = self.config.with_options(**options)
        app = create_app(
            {"SETTINGS": self.settings, "NOTIFY_CONFIG": config, "TESTING": True, **({"CLOCK": clock} if clock else {})}
        )
        return app.test_client()

    def organiser_headers(self, roles: dict | None = None, *, admin: bool = False) -> dict:
        organiser = Organiser(
            "account-1", "organiser@example.org", admin, {ORGANISATION: "organiser"} if roles is None else roles
        )
        token = issue_token(self.settings.jwt_private_key_path.read_bytes(), organiser)
        return {"Authorization": f"Bearer {token}"}

    def flush_digests(self, now: dt.datetime | None = None) -> int:
        return digests.flush_due(self.factory, self.config, now=now)

    def deliveries(self, **where) -> list[Delivery]:
        with self.factory() as session:
            query = select(Delivery).order_by(Delivery.id)
            for name, value in where.items():
                query = query.where(getattr(Delivery, name) == value)
            return list(session.scalars(query))

    def mails(self, **where) -> list:
        return [message_from_bytes(d.raw, policy=policy.default) for d in self.deliveries(**where)]


def golden(event_type: str) -> dict:
    """The golden sample's data, loaded (datetimes, not strings)."""
    from shared.envelope import parse_envelope

    body = json.loads((GOLDEN / f"{event_type}.v1.json").read_text(encoding="utf-8"))
    return copy.deepcopy(parse_envelope(body).data)


def registration(status: str, *, n: int = 1, revision: int = 1, locale: str = "it", **overrides) -> dict:
    data = golden("registration.confirmed")
    data.update(
        status=status,
        revision=revision,
        registration_id=f"0d6c7a52-2222-4b4b-8d8d-{n:012d}",
        manage_url=f"https://eventi.example/registration/r/SECRET-{n}" if revision == 1 else None,
    )
    data["participant"].update(email=f"person{n}@example.org", first_name=f"Persona{n}", locale=locale)
    data["event"]["starts_at"] = dt.datetime(2030, 12, 14, 8, 30, tzinfo=UTC)
    data["event"]["ends_at"] = dt.datetime(2030, 12, 14, 12, 30, tzinfo=UTC)
    data.update(overrides)
    return data


def event(revision: int = 2, **overrides) -> dict:
    data = golden("event.published")
    data.update(
        revision=revision,
        starts_at=dt.datetime(2030, 12, 14, 8, 30, tzinfo=UTC),
        ends_at=dt.datetime(2030, 12, 14, 12, 30, tzinfo=UTC),
        organisation_ids=[ORGANISATION],
    )
    data.update(overrides)
    return data


SESSION_GUID = "5e0c6f3a-4242-4c4c-9d9d-000000000042"


def workshop(status: str, *, n: int = 1, revision: int = 1, guid: str = SESSION_GUID, **overrides) -> dict:
    data = golden("workshop.confirmed")
    data.update(status=status, revision=revision, registration_id=f"0d6c7a52-2222-4b4b-8d8d-{n:012d}", signup_id=n)
    data["participant"].update(email=f"person{n}@example.org", first_name=f"Persona{n}")
    data["event"] = registration("confirmed", n=n)["event"]
    data["session"].update(
        guid=guid,
        starts_at=dt.datetime(2030, 12, 14, 10, 30, tzinfo=UTC),
        ends_at=dt.datetime(2030, 12, 14, 12, 0, tzinfo=UTC),
    )
    data.update(overrides)
    return data


def release(number: int, sessions: list[dict], *, previous: int | None = None) -> dict:
    data = golden("schedule.released")
    data.update(event_id=EVENT_ID, previous_version=previous, sessions=sessions)
    data["version"].update(number=number, name=f"1.{number}")
    return data


def session_item(
    *,
    guid: str = SESSION_GUID,
    starts: dt.datetime,
    minutes: int = 90,
    room: str = "Aula 2",
    sequence: int = 1,
    changes=("moved",),
    status: str = "confirmed",
    previous=None,
    updated_at: dt.datetime | None = None,
    title: str = "Laboratorio: bilancio in pratica",
) -> dict:
    item = golden("schedule.released")["sessions"][0]
    item.update(
        guid=guid,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        room={"id": "room-" + room, "name": room},
        sequence=sequence,
        changes=list(changes),
        status=status,
        previous=previous,
        updated_at=updated_at or dt.datetime(2030, 11, 1, tzinfo=UTC),
    )
    item["title"] = {"it": title, "en": "Lab: budgeting in practice"}
    return item


def calendar_of(message) -> tuple[bytes, Calendar] | None:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    if not parts:
        return None
    ics = parts[0].get_payload(decode=True)
    return ics, Calendar.from_ical(ics)


def invite_facts(message) -> tuple[str, str, int, str]:
    """(METHOD, UID, SEQUENCE, STATUS) of a mail's invitation."""
    _ics, calendar = calendar_of(message)
    (vevent,) = calendar.events
    return str(calendar["METHOD"]), str(vevent["UID"]), int(vevent["SEQUENCE"]), str(vevent["STATUS"])


def new_id() -> str:
    return str(uuid.uuid4())
