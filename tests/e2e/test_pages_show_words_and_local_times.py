"""Every page speaks words, not stored keys, and tells time in the event's zone.

The whole system runs with one event (09:30-13:00 Europe/Rome on a winter day,
08:30 UTC) that has a released programme, registrations confirmed, waitlisted,
offered and cancelled, a check-in and mails sent. Organiser and participant
pages are crawled from their entry points, following every link, in Italian and
English; each page's visible text (html.parser, without script, style and
attribute values) must show no raw key of the known sets (statuses, kinds,
roles, event types, delivery modes...) and no "UTC" zone. A control checks
that a key slipped into a page is caught."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from services.notifications.mail.render import KINDS as MAIL_KINDS
from services.notifications.mail.render import NOTICE_KINDS
from services.notifications.models.delivery import DELIVERY_STATES
from services.notifications.models.webhook import WEBHOOK_DELIVERY_STATES
from services.registration.models.online import IMPORT_STATES
from services.scheduling.models import ROLES, SESSION_KINDS
from shared.events.fields import EVENT_TYPES
from shared.events.registration import REGISTRATION_STATES, SIGNUP_STATES
from shared.events.scheduling import DELIVERY_MODES, MEMBER_ROLES, SESSION_STATES
from shared.formatting import format_moment
from shared.web.auth import COOKIE
from tests.e2e.harness import ORGANISER, System

ROME = zoneinfo.ZoneInfo("Europe/Rome")
EVENT_SECONDS = 30
MAX_PAGES = 400
OTHER_MAIL_KINDS = ("registration_link", "survey_invited", "record_link", "member_invited")
RAW_KEYS = frozenset(
    (*REGISTRATION_STATES, *SIGNUP_STATES, *SESSION_STATES, "draft", "published")
    + (*DELIVERY_STATES, "queued", *WEBHOOK_DELIVERY_STATES, *IMPORT_STATES)
    + (*MAIL_KINDS, *NOTICE_KINDS, *OTHER_MAIL_KINDS, *SESSION_KINDS)
    + (*ROLES, *MEMBER_ROLES, *EVENT_TYPES, *DELIVERY_MODES)
)
# A key is raw when it is a text of its own (a cell, a badge) or, for the
# snake_case ones that no sentence contains, anywhere in a text.
SNAKE_KEYS = re.compile(r"\b(" + "|".join(sorted((k for k in RAW_KEYS if "_" in k), key=len, reverse=True)) + r")\b")
UTC_ZONE = re.compile(r"\bUTC\b")
# Links a crawler must not follow: other languages (the cookie says), leaving, downloads.
SKIPPED = re.compile(
    r"/language/|/logout|/api/|[?&]next=|\.(?:ics|csv|xlsx|pdf|eml|png|svg|json)(?:$|\?)|/parts/|/export"
)

TITLE = {"it": "Giornata sulla trasparenza", "en": "Transparency day"}
PEOPLE = {
    "dario": {"first_name": "Dario", "last_name": "Conti", "email": "dario.conti@example.org", "locale": "it"},
    "anna": {"first_name": "Anna", "last_name": "Bianchi", "email": "anna.bianchi@example.org", "locale": "it"},
    "ben": {"first_name": "Ben", "last_name": "Carter", "email": "ben.carter@example.org", "locale": "en"},
    "carla": {"first_name": "Carla", "last_name": "Neri", "email": "carla.neri@example.org", "locale": "it"},
}


def winter_morning() -> tuple[dt.datetime, dt.datetime]:
    """09:30-13:00 Rome time on 4 December next year (UTC+1: 08:30 UTC)."""
    start = dt.datetime(dt.date.today().year + 1, 12, 4, 9, 30, tzinfo=ROME)
    return start, start.replace(hour=13)


def naive(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=None).isoformat()


# --- visible text ------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text nodes a reader sees: no script or style, no attribute values."""

    HIDDEN = ("script", "style", "template")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def problems_of(html: str) -> list[str]:
    """What a page shows that it should not: raw keys and a UTC zone."""
    found = []
    for text in read(html).texts:
        bare = text.strip(" ·:;,()[]#-–—")
        if bare in RAW_KEYS:
            found.append(f"raw key {bare!r}")
        found += [f"raw key {m!r} in {text!r}" for m in SNAKE_KEYS.findall(text) if m != bare]
        if UTC_ZONE.search(text):
            found.append(f"UTC time {text!r}")
    return found


# --- the data ----------------------------------------------------------------------------


def register(system: System, slug: str, person: dict) -> dict:
    response = system.post(f"/registration/api/v1/events/{slug}/registrations", json=person)
    assert response.status_code == 201, response.text
    return response.json()


def build_event(system: System) -> dict:
    organiser = system.login(ORGANISER)
    starts, ends = winter_morning()
    body = {
        "title": TITLE,
        "type": "seminar",
        "starts_at": naive(starts),
        "ends_at": naive(ends),
        "timezone": "Europe/Rome",
        "venue": "Sala consiliare",
        "capacity": 2,
    }
    created = system.post("/scheduling/api/v1/events", headers=organiser, json=body)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    api = f"/scheduling/api/v1/events/{slug}"
    opening = {
        "title": {"it": "Apertura dei lavori"},
        "starts_at": naive(starts),
        "ends_at": naive(starts + dt.timedelta(hours=1)),
    }
    session = system.post(f"{api}/sessions", headers=organiser, json=opening)
    assert session.status_code == 201, session.text
    pause = {"title": {"it": "Caffè"}, "kind": "break", "starts_at": naive(starts + dt.timedelta(hours=1))}
    pause["ends_at"] = naive(starts + dt.timedelta(hours=1, minutes=30))
    assert system.post(f"{api}/sessions", headers=organiser, json=pause).status_code == 201
    assert system.post(f"{api}/publish", headers=organiser).status_code == 200
    assert system.post(f"{api}/schedule/releases", headers=organiser, json={"name": "1.0"}).status_code == 201

    registration = f"/registration/api/v1/organiser/events/{slug}"
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=EVENT_SECONDS,
        message="registration to open the event",
    )
    policies = system.http.patch(
        system.url(f"{registration}/policies"), headers=organiser, json={"promotion_mode": "offer"}
    )
    assert policies.status_code == 200, policies.text
    answers = {name: register(system, slug, person) for name, person in PEOPLE.items()}
    cancelled = system.post(f"/registration/api/v1/self/{answers['anna']['token']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    states = {
        name: system.get(f"/registration/api/v1/self/{a['token']}").json()["status"] for name, a in answers.items()
    }
    assert states == {"dario": "confirmed", "anna": "cancelled", "ben": "offered", "carla": "waitlisted"}

    def checked_in():
        scan = system.post(
            f"{registration}/checkins",
            headers=organiser,
            json={"registration_id": answers["dario"]["registration"]["id"], "session_id": session.json()["id"]},
        )
        return scan.status_code == 201

    system.wait_for(checked_in, timeout=EVENT_SECONDS, message="the programme to reach registration for a check-in")

    def mails_sent():
        deliveries = system.get("/notifications/api/v1/deliveries", headers=organiser).json()
        return len(deliveries) >= 5 and all(d["status"] == "sent" for d in deliveries) and deliveries

    deliveries = system.wait_for(mails_sent, timeout=EVENT_SECONDS, message="the mails to be sent")
    return {"slug": slug, "organiser": organiser, "answers": answers, "deliveries": deliveries}


@pytest.fixture(scope="module")
def event(system: System) -> dict:
    return build_event(system)


# --- the crawl ---------------------------------------------------------------------------


def crawl(system: System, client: requests.Session, starts: list[str]) -> dict[str, str]:
    """path -> HTML of every page reachable from `starts` by links on this origin."""
    pages: dict[str, str] = {}
    queue = list(starts)
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(system.url(path), timeout=15, allow_redirects=False)
        assert response.status_code in (200, 302, 303, 404, 410), (path, response.status_code, response.text[:500])
        if response.status_code != 200 or not response.headers.get("Content-Type", "").startswith("text/html"):
            pages[path] = ""
            continue
        pages[path] = response.text
        for href in read(response.text).links:
            target = urlsplit(urljoin(system.url(path), href))
            if target.netloc != urlsplit(system.base_url).netloc or target.scheme not in ("http", "https"):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if not SKIPPED.search(link) and link not in pages:
                queue.append(link)
    return {path: html for path, html in pages.items() if html}


def organiser_client(event: dict, lang: str) -> requests.Session:
    client = requests.Session()
    client.cookies.set(COOKIE, event["organiser"]["Authorization"].removeprefix("Bearer "))
    client.cookies.set("lang", lang)
    return client


def participant_client(lang: str) -> requests.Session:
    client = requests.Session()
    client.cookies.set("lang", lang)
    return client


def organiser_pages(system: System, event: dict, lang: str) -> dict[str, str]:
    slug = event["slug"]
    own = f"/registration/organiser/events/{slug}"
    starts = [
        "/scheduling/organiser/",
        f"/scheduling/organiser/events/{slug}",
        *(f"{own}/{page}" for page in ("registrations", "waitlists", "checkin", "attendance-imports")),
        *(f"{own}/{page}" for page in ("certificates", "final-test", "survey", "privacy", "form", "messages")),
        "/scheduling/organiser/organisations/",
        f"/registration/organiser/organisations/{system.organisation_id}/training",
        "/notifications/organiser/mail",
        f"/notifications/organiser/mail?event={slug}",
        "/notifications/organiser/parked",
    ]
    with organiser_client(event, lang) as client:
        return crawl(system, client, starts)


def participant_pages(system: System, event: dict, lang: str) -> dict[str, str]:
    slug = event["slug"]
    starts = ["/scheduling/", f"/scheduling/events/{slug}", f"/registration/events/{slug}/register"]
    for answer in event["answers"].values():
        token = urlsplit(answer["manage_url"]).path
        starts += [token, f"{token}/change"]
    starts += ["/registration/record", "/registration/privacy", f"/registration/events/{slug}/privacy"]
    starts += ["/notifications/mail", "/notifications/accessibility"]
    with participant_client(lang) as client:
        return crawl(system, client, starts)


# --- the tests ----------------------------------------------------------------------------


def test_a_raw_key_or_a_utc_time_slipped_into_a_page_is_caught():
    page = (
        "<html><body><p>Iscrizione confermata</p><td><small>{}</small></td><script>var s='sent'</script></body></html>"
    )
    assert problems_of(page.format("Confermata")) == []
    assert problems_of('<a title="confirmed" href="?status=waitlisted">Confermata</a>') == []
    assert problems_of(page.format("registration_confirmed")) == ["raw key 'registration_confirmed'"]
    assert problems_of(page.format("waitlisted")) == ["raw key 'waitlisted'"]
    assert problems_of("<p>Tipo: summer_school · 3 dic</p>") == [
        "raw key 'summer_school' in 'Tipo: summer_school · 3 dic'"
    ]
    assert problems_of("<td>4 dic 2026, 18:36:38 UTC</td>") == ["UTC time '4 dic 2026, 18:36:38 UTC'"]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_page_shows_words_and_the_events_local_time(system: System, event: dict, lang):
    organiser, participant = organiser_pages(system, event, lang), participant_pages(system, event, lang)
    slug = event["slug"]
    # the crawl reached the pages that matter
    for path in (
        f"/scheduling/organiser/events/{slug}",
        f"/registration/organiser/events/{slug}/registrations",
        f"/notifications/organiser/mail?event={slug}",
        f"/scheduling/events/{slug}",
    ):
        assert path in organiser or path in participant, sorted(organiser) + sorted(participant)
    assert len(organiser) >= 15 and len(participant) >= 8, (sorted(organiser), sorted(participant))

    problems = {path: found for path, html in {**participant, **organiser}.items() if (found := problems_of(html))}
    assert not problems, problems

    # 09:30 in Rome is 08:30 UTC: the pages say 09:30
    for page in (organiser[f"/scheduling/organiser/events/{slug}"], participant[f"/scheduling/events/{slug}"]):
        text = " ".join(read(page).texts)
        assert "09:30" in text and "08:30" not in text, text
    # the mail list tells each mail's time in the event's zone
    mail_text = " ".join(read(organiser[f"/notifications/organiser/mail?event={slug}"]).texts)
    for delivery in event["deliveries"]:
        created = dt.datetime.fromisoformat(delivery["created_at"])
        assert format_moment(created, "Europe/Rome", lang) in mail_text, (delivery, mail_text)
