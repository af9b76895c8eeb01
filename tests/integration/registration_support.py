"""A registration service to drive in tests: the app on a migrated database
(SQLite or PostgreSQL), fed with event.* and schedule.released envelopes the
way its consumer is, organiser tokens signed like scheduling signs them, and
readers for the outbox."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zoneinfo

from sqlalchemy import select

from services.registration.app import create_app
from services.registration.config import load_config
from services.registration.models import Inbox, Listing, Outbox, Registration
from services.registration.worker.handlers import handlers_for
from shared.auth import Organiser, ensure_keypair, issue_token
from shared.envelope import build_envelope
from shared.messaging.dispatch import Verdict, dispatch
from tests.factories import event_data, migrated_factory, participant

UTC = dt.timezone.utc
ORG = "0a000000-0000-4000-8000-00000000000a"
OTHER_ORG = "0b000000-0000-4000-8000-00000000000b"
SLUG = event_data()["slug"]
EVENT_ID = event_data()["event_id"]
REGISTER = f"/api/v1/events/{SLUG}/registrations"
ORGANISER = f"/api/v1/organiser/events/{SLUG}"


def upcoming_event(**overrides) -> dict:
    """The factory's event, a month ahead so it stays open, organised by ORG. It starts
    at 09:00 in Rome whatever the hour the tests run, so its four hours and the
    sessions placed after its start stay on one local day."""
    day = (dt.datetime.now(UTC) + dt.timedelta(days=30)).date()
    starts = dt.datetime.combine(day, dt.time(9, 0), zoneinfo.ZoneInfo("Europe/Rome")).astimezone(UTC)
    values = {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=4), "organisation_ids": [ORG]}
    return event_data(**{**values, **overrides})


def programme_session(
    session_id: int,
    starts_at: dt.datetime,
    minutes: int = 60,
    *,
    requires_signup: bool = True,
    seat_limit: int | None = 2,
    status: str = "confirmed",
    kind: str = "session",
    title: str | None = None,
) -> dict:
    """One session as schedule.released carries it."""
    return {
        "id": session_id,
        "guid": str(uuid.UUID(int=session_id)),
        "kind": kind,
        "status": status,
        "changes": ["added"],
        "title": {"it": title or f"Laboratorio {session_id}", "en": None},
        "language": "it",
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(minutes=minutes),
        "room": {"id": "room-1", "name": "Aula 1"},
        "requires_signup": requires_signup,
        "seat_limit": seat_limit,
        "sequence": 0,
        "updated_at": dt.datetime.now(UTC),
    }


class Desk:
    """The registration app on a migrated database, fed like its consumer."""

    def __init__(self, settings, **config):
        ensure_keypair(settings.jwt_private_key_path, settings.jwt_public_key_path)
        self.settings = settings
        self.factory = migrated_factory("registration", settings)
        self.handlers = handlers_for(load_config(settings))  # as the worker's consumer has them
        self.app = create_app({"SETTINGS": settings, "TESTING": True, "RATELIMIT_ENABLED": False, **config})
        self.client = self.app.test_client()
        self.revision, self.release_number = 1, 0
        self.event = None

    # --- the bus ---------------------------------------------------------------------
    def deliver(self, event_type: str = "event.published", **overrides) -> dict:
        if "revision" not in overrides:
            self.revision += 1
            overrides["revision"] = self.revision
        self.event = upcoming_event(**overrides)
        self._dispatch(build_envelope(event_type, self.event, producer="scheduling"))
        return self.event

    def release(self, *sessions: dict) -> None:
        """A schedule.released carrying these sessions (each release is the next version)."""
        self.release_number += 1
        data = {
            "event_id": EVENT_ID,
            "slug": SLUG,
            "timezone": "Europe/Rome",
            "version": {
                "number": self.release_number,
                "name": f"v{self.release_number}",
                "released_at": dt.datetime.now(UTC),
            },
            "previous_version": self.release_number - 1 or None,
            "changelog": {"added": [s["guid"] for s in sessions]},
            "sessions": list(sessions),
        }
        self._dispatch(build_envelope("schedule.released", data, producer="scheduling"))

    def _dispatch(self, body: dict) -> None:
        outcome = dispatch(
            body, consumer="registration", handlers=self.handlers, session_factory=self.factory, inbox_model=Inbox
        )
        assert outcome.verdict is Verdict.APPLIED, outcome

    @property
    def starts_at(self) -> dt.datetime:
        return self.event["starts_at"]

    # --- participants --------------------------------------------------------------------
    def register(self, n: int, **overrides):
        return self.client.post(REGISTER, json=participant(n, **overrides))

    def registered(self, n: int, **overrides) -> dict:
        response = self.register(n, **overrides)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def own(self, token: str) -> dict:
        response = self.client.get(f"/api/v1/self/{token}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    # --- organisers ----------------------------------------------------------------------
    def headers(self, role: str | None = "organiser", *, organisation: str = ORG, admin: bool = False) -> dict:
        roles = {organisation: role} if role else {}
        organiser = Organiser(f"account-{role}", f"{role}@example.org", admin, roles)
        token = issue_token(self.settings.jwt_private_key_path.read_bytes(), organiser)
        return {"Authorization": f"Bearer {token}"}

    def as_organiser(self, method: str, path: str, role: str = "organiser", **kwargs):
        return getattr(self.client, method)(f"{ORGANISER}{path}", headers=self.headers(role), **kwargs)

    # --- reading back ---------------------------------------------------------------------
    def listing(self) -> Listing:
        with self.factory() as session:
            return session.get(Listing, EVENT_ID)

    def statuses(self) -> dict[str, str]:
        with self.factory() as session:
            return dict(session.execute(select(Registration.email, Registration.status)).all())

    def outbox(self) -> list[tuple[str, dict]]:
        with self.factory() as session:
            return [
                (row.routing_key, json.loads(row.body)["data"])
                for row in session.scalars(select(Outbox).order_by(Outbox.id))
            ]

    def events(self, *types: str, since: int = 0) -> list[tuple[str, dict]]:
        return [(key, data) for key, data in self.outbox()[since:] if not types or key in types]

    def mark(self) -> int:
        return len(self.outbox())


def email(n: int) -> str:
    return participant(n)["email"]


def post_form(client, path: str, data: dict, *, page: str | None = None, **kwargs):
    """POST an HTML form as a browser does: with the CSRF token of the page it
    came from, when the pages carry one."""
    html = client.get(page or path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return client.post(path, data={**data, **({"csrf_token": token.group(1)} if token else {})}, **kwargs)
