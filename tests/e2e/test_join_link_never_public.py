"""The join link of an online event never reaches the public, end to end:
an organiser builds an online course (Zoom) with one hybrid session in a
room of its own (Teams), releases the programme and someone registers; then
every public output of the three services is fetched (pages, public APIs,
feeds, schedule exports, the registration form, the OpenAPI documents) and
none carries a join URL, meeting id or passcode, while the organisers' API
does (the control: the secrets are there to be leaked). The event page's
schema.org JSON-LD is read back with the standard library's HTML and JSON
parsers."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from html.parser import HTMLParser

from tests.e2e.harness import ORGANISER, SERVICES, System

ROME = zoneinfo.ZoneInfo("Europe/Rome")
EVENT_SECONDS = 30
ZOOM = {
    "platform": "zoom",
    "join_url": "https://zoom.example.org/j/86400000777?pwd=riservatissimo",
    "meeting_id": "864 0000 0777",
    "passcode": "577215",
    "dial_in": "+39 02 0000 0777",
}
TEAMS = {
    "platform": "teams",
    "join_url": "https://teams.example.org/l/meetup-join/sessione-ibrida-riservata",
    "meeting_id": "TEAMS-ID-4242",
    "passcode": "teams-pass-9191",
}
SECRETS = [ZOOM["join_url"], "86400000777", ZOOM["meeting_id"], ZOOM["passcode"], ZOOM["dial_in"]]
SECRETS += [TEAMS["join_url"], "sessione-ibrida-riservata", TEAMS["meeting_id"], TEAMS["passcode"]]
PERSON = {
    "first_name": "Carla",
    "last_name": "Neri",
    "email": "carla.neri@example.org",
    "organisation": "Comune di Prova",
    "locale": "it",
}


class JsonLd(HTMLParser):
    """The <script type="application/ld+json"> blocks of a page."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def local(day: dt.date, hour: int) -> str:
    return dt.datetime.combine(day, dt.time(hour), ROME).replace(tzinfo=None).isoformat()


def build_online_course(system: System, organiser: dict) -> str:
    first = dt.date(dt.date.today().year + 1, 10, 5)
    body = {
        "title": {"it": "Corso online riservato", "en": "Private online course"},
        "type": "course",
        "starts_at": local(first, 17),
        "ends_at": local(first + dt.timedelta(days=1), 19),
        "timezone": "Europe/Rome",
        "venue": "Aula Magna",
        "capacity": 20,
        "delivery_mode": "online",
        "online": ZOOM,
    }
    created = system.post("/scheduling/api/v1/events", headers=organiser, json=body)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    api = f"/scheduling/api/v1/events/{slug}"
    lessons = [
        {"title": {"it": "Lezione 1"}, "starts_at": local(first, 17), "ends_at": local(first, 19)},
        {
            "title": {"it": "Lezione 2, anche in aula"},
            "starts_at": local(first + dt.timedelta(days=1), 17),
            "ends_at": local(first + dt.timedelta(days=1), 19),
            "delivery_mode": "hybrid",
            "online": TEAMS,
        },
    ]
    for lesson in lessons:
        response = system.post(f"{api}/sessions", headers=organiser, json=lesson)
        assert response.status_code == 201, response.text
    assert system.post(f"{api}/publish", headers=organiser).status_code == 200
    released = system.post(f"{api}/schedule/releases", headers=organiser, json={"name": "1.0"})
    assert released.status_code == 201, released.text
    return slug


def public_outputs(system: System, slug: str) -> dict[str, str]:
    page = f"/scheduling/events/{slug}"
    paths = [
        "/scheduling/",
        page,
        f"{page}/schedule.ics",
        f"{page}/schedule.xml",
        f"{page}/schedule.json",
        "/scheduling/api/v1/events",
        f"/scheduling/api/v1/events/{slug}",
        f"/scheduling/api/v1/events/{slug}/schedule",
        f"/scheduling/api/v1/events/{slug}/schedule/versions",
        f"/registration/api/v1/events/{slug}",
        f"/registration/events/{slug}/register",
        *(f"/{service}/api/v1/openapi.json" for service in SERVICES),
    ]
    bodies = {}
    for path in paths:
        for lang in ("it", "en"):
            response = system.get(path, cookies={"lang": lang})
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
            bodies[f"{path} ({lang})"] = response.text
    return bodies


def test_no_public_output_carries_the_join_link_while_organisers_see_it(system: System):
    organiser = system.login(ORGANISER)
    slug = build_online_course(system, organiser)
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=EVENT_SECONDS,
        message="registration to open the online course",
    )
    registered = system.post(f"/registration/api/v1/events/{slug}/registrations", json=PERSON)
    assert registered.status_code == 201 and registered.json()["registration"]["status"] == "confirmed"

    # The control: the organisers' API answers with both rooms.
    mine = system.get(f"/scheduling/api/v1/events/{slug}", headers=organiser)
    assert mine.json()["online"]["join_url"] == ZOOM["join_url"], mine.text
    sessions = system.get(f"/scheduling/api/v1/events/{slug}/sessions", headers=organiser).text
    assert TEAMS["join_url"] in sessions and TEAMS["passcode"] in sessions

    bodies = public_outputs(system, slug)
    leaks = {where: [s for s in SECRETS if s in body] for where, body in bodies.items()}
    assert not {where: found for where, found in leaks.items() if found}
    assert "Online (Zoom)" in bodies[f"/scheduling/events/{slug} (it)"]
    assert "Online (Zoom)" in bodies[f"/scheduling/events/{slug}/schedule.ics (it)"]
    assert "Ibrido: Aula Magna e online (Microsoft Teams)" in bodies[f"/scheduling/events/{slug} (it)"]
    assert "Hybrid: Aula Magna and online (Microsoft Teams)" in bodies[f"/scheduling/events/{slug} (en)"]


def test_the_event_page_describes_an_online_event_to_search_engines(system: System):
    organiser = system.login(ORGANISER)
    slug = build_online_course(system, organiser)
    page = system.get(f"/scheduling/events/{slug}")
    parser = JsonLd()
    parser.feed(page.text)
    (block,) = parser.blocks
    data = json.loads(block)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": system.url(f"/scheduling/events/{slug}")} or (
        data["location"]["@type"] == "VirtualLocation"
        and data["location"]["url"].endswith(f"/scheduling/events/{slug}")
    )
    assert dt.datetime.fromisoformat(data["startDate"]) < dt.datetime.fromisoformat(data["endDate"])
    assert not any(secret in block for secret in SECRETS)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]  # data, not script: allowed as is
