"""The fuzz tier: one running system (production mode on PostgreSQL and
RabbitMQ when they are reachable, or under CI=true; else the embedded default),
an organiser's bearer token, and one event with a released programme for the
generated requests to reach. FUZZ_EXAMPLES and FUZZ_SECONDS scale the run
(examples per operation and generation mode, and its wall-clock cap); the
figures of every campaign are printed at the end of the run."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest

from tests import servers
from tests.e2e.harness import ORGANISER, System, UnlimitedSystem, running

CAMPAIGNS: list = []
CAMPAIGNS_PER_RUN = 6  # three documents, anonymous and with a token


def _mode() -> str:
    reachable = (
        servers.port_open(servers.PG_HOST, servers.PG_PORT)
        and servers.port_open(servers.AMQP_HOST, servers.AMQP_PORT)
        and shutil.which("rabbitmqctl") is not None
    )
    return "production" if reachable or servers.in_ci() else "embedded"


@pytest.fixture(scope="session")
def fuzz_system(tmp_path_factory):
    with running(UnlimitedSystem(_mode(), tmp_path_factory.mktemp("fuzz")), "fuzzing") as system:
        yield system


@pytest.fixture(scope="session")
def organiser_headers(fuzz_system) -> dict[str, str]:
    return fuzz_system.login(ORGANISER)


@pytest.fixture(scope="session")
def programme(fuzz_system, organiser_headers) -> dict[str, object]:
    """Path parameters that exist: an event with a room, a track, a session
    type, a speaker and a session, released, open for registration."""
    system, headers = fuzz_system, organiser_headers
    api = "/scheduling/api/v1/events"

    def post(path: str, body: dict) -> dict:
        response = system.post(api + path, json=body, headers=headers)
        assert response.status_code in (200, 201), response.text
        return response.json()

    event = post(
        "",
        {
            "title": {"it": "Giornata di studio", "en": "Study day"},
            "type": "seminar",
            "starts_at": "2031-05-20T09:00",
            "ends_at": "2031-05-20T18:00",
            "timezone": "Europe/Rome",
            "venue": "Sala consiliare",
            "capacity": 50,
        },
    )
    slug = event["slug"]
    post(f"/{slug}/publish", {})
    room = post(f"/{slug}/rooms", {"name": "Aula magna", "capacity": 40})
    track = post(f"/{slug}/tracks", {"name": {"it": "Bilancio"}})
    kind = post(f"/{slug}/session-types", {"name": {"it": "Relazione"}})
    speaker = post(f"/{slug}/speakers", {"name": "Anna Verdi"})
    session = post(
        f"/{slug}/sessions",
        {
            "title": {"it": "Apertura"},
            "starts_at": "2031-05-20T09:30",
            "ends_at": "2031-05-20T10:30",
            "room_id": room["id"],
            "track_id": track["id"],
            "type_id": kind["id"],
            "speaker_ids": [speaker["id"]],
        },
    )
    post(f"/{slug}/schedule/releases", {"name": "v1"})
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=30,
        message="registration to learn of the published event",
    )
    people = [_registered(system, slug) for _ in range(CAMPAIGNS_PER_RUN)]
    return {"slug": slug, "item_id": room["id"], "session_id": session["id"], "people": people}


def _registered(system: System, slug: str) -> dict[str, str]:
    person = {"first_name": "Anna", "last_name": "Bianchi", "email": f"anna-{uuid.uuid4().hex[:8]}@example.org"}
    registered = system.post(f"/registration/api/v1/events/{slug}/registrations", json={**person, "locale": "it"})
    assert registered.status_code == 201, registered.text
    token = registered.json()["token"]
    system.wait_for(
        lambda: system.get(f"/notifications/api/v1/registrations/{token}/feed").status_code == 200,
        timeout=30,
        message="notifications to learn of the registration's link",
    )
    return {"token": token, "manage_token": token, "registration_id": registered.json()["registration"]["id"]}


@pytest.fixture
def known(programme) -> dict[str, object]:
    """The programme's parameters and a person registered for this campaign
    alone (registered before any campaign ran, since one may cancel the
    event): a campaign erasing its person leaves the next one a live link."""
    person = programme["people"].pop()
    return {**{k: v for k, v in programme.items() if k != "people"}, **person}


def pytest_terminal_summary(terminalreporter):
    if not CAMPAIGNS:
        return
    terminalreporter.section("fuzzing figures")
    for campaign in CAMPAIGNS:
        terminalreporter.write_line(campaign.summary())
    total = sum(c.requests for c in CAMPAIGNS)
    failed = sum(c.failed_requests for c in CAMPAIGNS)
    terminalreporter.write_line(f"in all: {total} requests, {failed} failed")


def examples() -> int:
    return int(os.environ.get("FUZZ_EXAMPLES", "10"))


def seconds_per_operation() -> float:
    return float(os.environ.get("FUZZ_SECONDS", "4"))
