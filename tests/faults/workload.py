"""A bounded workload through the public HTTP API, with the client's own
log of every request and what it was told (Jepsen's history): a few events
with capacities (one promoting through offers) and workshops, registrations
that overflow into waiting lists, cancellations that promote, accepted
offers, and a schedule change half way through.

A request without an answer (connection reset, timeout) or with a 5xx is
retried with the same person, so a retry that meets 409 means an earlier
attempt did commit: "recovered", not acknowledged, not lost."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from tests.e2e.harness import ORGANISER
from tests.waiting import wait_for

SETUP = {"timeout": 60.0, "interval": 0.25}  # waits of the workload's setup

REQUEST_SECONDS = 10.0
RETRY_FOR_SECONDS = 60.0  # a client keeps retrying one request this long
THREADS = 4


@dataclass
class Person:
    email: str
    slug: str
    workshops: list[int]
    registration_id: str | None = None
    token: str | None = None
    status: str | None = None  # as last answered to the client
    acknowledged: bool = False  # a 201 arrived
    recovered: bool = False  # no 201, but a retry met 409: an earlier attempt committed
    cancelled: bool = False  # a cancel was acknowledged (200)
    cancel_tried: bool = False  # a cancel was sent (its answer may have been lost)
    accepted: bool = False  # an offer acceptance was acknowledged


@dataclass
class Op:
    kind: str
    key: str
    started: float
    ended: float
    status: int | None  # None: no answer
    attempts: int


@dataclass
class ClientLog:
    run: str
    events: dict[str, dict] = field(default_factory=dict)  # slug -> {"id", "capacity", "mode"}
    people: dict[str, Person] = field(default_factory=dict)
    ops: list[Op] = field(default_factory=list)
    workshop_ids: list[int] = field(default_factory=list)
    schedule_changed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, op: Op) -> None:
        with self.lock:
            self.ops.append(op)

    def first_success_after(self, moment: float) -> float | None:
        ends = [op.ended for op in self.ops if op.started >= moment and op.status is not None and op.status < 500]
        return min(ends) if ends else None


class Client:
    """One HTTP client per thread; `call` retries until an answer below 500."""

    def __init__(self, system, log: ClientLog):
        self.system, self.log = system, log
        self.local = threading.local()

    @property
    def http(self) -> requests.Session:
        if not hasattr(self.local, "http"):
            self.local.http = requests.Session()
        return self.local.http

    def call(self, kind: str, key: str, method: str, path: str, **kwargs) -> requests.Response | None:
        started = time.monotonic()
        attempts = 0
        response = None
        while True:
            attempts += 1
            try:
                response = self.http.request(method, self.system.url(path), timeout=REQUEST_SECONDS, **kwargs)
                if response.status_code < 500 and response.status_code != 429:
                    break
            except requests.RequestException:
                response = None
                self.local.http = requests.Session()  # a fresh connection after a reset
            if time.monotonic() - started > RETRY_FOR_SECONDS:
                break
            time.sleep(min(0.25 * attempts, 2.0))
        self.log.add(Op(kind, key, started, time.monotonic(), response.status_code if response else None, attempts))
        return response


def event_body(run: str, n: int, capacity: int) -> dict:
    starts = dt.datetime(dt.date.today().year + 1, 9, 10 + n, 9, 30)
    return {
        "title": {"it": f"Seminario {run} {n}", "en": f"Seminar {run} {n}"},
        "type": "seminar",
        "starts_at": starts.isoformat(),
        "ends_at": starts.replace(hour=17).isoformat(),
        "timezone": "Europe/Rome",
        "venue": "Sala consiliare",
        "capacity": capacity,
    }


class Workload:
    """`setup()` builds the events (not under faults); `run(on_step)` drives
    the registrations, calling `on_step(i, total)` between batches so a
    scenario can inject its fault at a chosen point."""

    CAPACITIES = (10, 6, 16)  # the second event promotes by offer

    def __init__(self, system, *, registrations: int = 60, seed: int = 0):
        self.system = system
        self.run_id = uuid.uuid4().hex[:6]
        self.log = ClientLog(self.run_id)
        self.client = Client(system, self.log)
        self.total = registrations
        self.random = random.Random(seed)
        self.headers: dict[str, str] = {}

    # setup ------------------------------------------------------------------------

    def setup(self) -> ClientLog:
        s = self.system
        self.headers = s.login(ORGANISER)
        for n, capacity in enumerate(self.CAPACITIES):
            body = event_body(self.run_id, n, capacity)
            created = s.post("/scheduling/api/v1/events", headers=self.headers, json=body)
            assert created.status_code == 201, created.text
            slug = created.json()["slug"]
            published = s.post(f"/scheduling/api/v1/events/{slug}/publish", headers=self.headers)
            assert published.status_code == 200, published.text
            self.log.events[slug] = {"id": created.json()["id"], "capacity": capacity, "mode": "confirm", "n": n}
        for slug in self.log.events:
            wait_for(
                lambda slug=slug: s.get(f"/registration/api/v1/events/{slug}").status_code == 200, **SETUP, what=slug
            )
        offer_slug = list(self.log.events)[1]
        policies = s.http.patch(
            s.url(f"/registration/api/v1/organiser/events/{offer_slug}/policies"),
            headers=self.headers,
            json={"promotion_mode": "offer", "offer_hours": 48},
            timeout=15,
        )
        assert policies.status_code == 200, policies.text
        self.log.events[offer_slug]["mode"] = "offer"
        self._workshops(list(self.log.events)[0])
        return self.log

    def _workshops(self, slug: str) -> None:
        s, event = self.system, self.log.events[slug]
        day = dt.date.today().year + 1, 9, 10 + event["n"]
        for hour, seats in ((14, 4), (16, 3)):
            starts = dt.datetime(*day, hour, 0, tzinfo=dt.timezone.utc)
            created = s.post(
                f"/scheduling/api/v1/events/{slug}/sessions",
                headers=self.headers,
                json={
                    "title": {"it": f"Laboratorio {hour}", "en": f"Workshop {hour}"},
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + dt.timedelta(minutes=90)).isoformat(),
                    "requires_signup": True,
                    "seat_limit": seats,
                },
            )
            assert created.status_code == 201, created.text
            self.log.workshop_ids.append(created.json()["id"])
        released = s.post(f"/scheduling/api/v1/events/{slug}/schedule/releases", headers=self.headers, json={})
        assert released.status_code == 201, released.text

        def form_has_workshops():
            form = s.get(f"/registration/api/v1/events/{slug}/form")
            return form.status_code == 200 and len(form.json().get("workshops") or []) == 2

        wait_for(form_has_workshops, **SETUP, what="the released workshops in the form")

    # the run ----------------------------------------------------------------------

    def run(self, on_step: Callable[[int, int], None] = lambda i, n: None, batch: int = 6) -> ClientLog:
        slugs = list(self.log.events)
        people = []
        for i in range(self.total):
            slug = slugs[i % len(slugs)]
            chosen = []
            if slug == slugs[0] and self.log.workshop_ids and self.random.random() < 0.7:
                chosen = [self.random.choice(self.log.workshop_ids)]
            email = f"p{i}-{self.run_id}@example.org"
            people.append(Person(email, slug, chosen))
            self.log.people[email] = people[-1]
        with ThreadPoolExecutor(THREADS) as pool:
            for start in range(0, len(people), batch):
                on_step(start, len(people))
                tasks: list[Callable[[], None]] = [lambda p=p: self.register(p) for p in people[start : start + batch]]
                done = [p for p in people[:start] if p.acknowledged and not p.cancelled]
                for person in self.random.sample(done, min(len(done), 2 if start % (2 * batch) == 0 else 1)):
                    tasks.append(lambda p=person: self.cancel(p))
                list(pool.map(lambda task: task(), tasks))
                if start % (3 * batch) == 0:
                    list(pool.map(self.accept_offer, [p for p in done if p.slug == slugs[1] and not p.cancelled]))
                if not self.log.schedule_changed and start >= len(people) // 2:
                    self.change_schedule(slugs[0])
            on_step(len(people), len(people))
            offered = [p for p in people if p.slug == slugs[1] and p.acknowledged and not p.cancelled]
            list(pool.map(self.accept_offer, offered))
        return self.log

    def probe_person(self) -> Person:
        """One more participant, for the event with the most seats, counted like the others."""
        slug = max(self.log.events, key=lambda slug: self.log.events[slug]["capacity"])
        person = Person(f"probe-{self.run_id}@example.org", slug, [])
        self.log.people[person.email] = person
        return person

    def register(self, person: Person) -> None:
        body = {"first_name": "Pia", "last_name": "Rossi", "email": person.email, "locale": "it"}
        if person.workshops:
            body["workshops"] = person.workshops
        response = self.client.call(
            "register", person.email, "POST", f"/registration/api/v1/events/{person.slug}/registrations", json=body
        )
        if response is None:
            return
        if response.status_code == 201:
            data = response.json()
            person.acknowledged = True
            person.registration_id = data["registration"]["id"]
            person.token = data["token"]
            person.status = data["registration"]["status"]
        elif response.status_code == 409:
            person.recovered = True

    def cancel(self, person: Person) -> None:
        person.cancel_tried = True
        response = self.client.call("cancel", person.email, "POST", f"/registration/api/v1/self/{person.token}/cancel")
        if response is not None and response.status_code == 200:
            person.cancelled, person.status = True, "cancelled"

    def accept_offer(self, person: Person) -> None:
        own = self.client.call("read", person.email, "GET", f"/registration/api/v1/self/{person.token}")
        if own is None or own.status_code != 200 or own.json().get("status") != "offered":
            return
        response = self.client.call("accept", person.email, "POST", f"/registration/api/v1/self/{person.token}/accept")
        if response is not None and response.status_code == 200:
            person.accepted, person.status = True, "confirmed"

    def change_schedule(self, slug: str) -> None:
        """Move the first workshop by an hour and release: REQUESTs with a higher SEQUENCE."""
        self.log.schedule_changed = True
        session_id = self.log.workshop_ids[0]
        current = self.client.call(
            "read", slug, "GET", f"/scheduling/api/v1/events/{slug}/sessions/{session_id}", headers=self.headers
        )
        if current is None or current.status_code != 200:
            return
        starts = dt.datetime.fromisoformat(current.json()["starts_at"]) - dt.timedelta(hours=1)
        self.client.call(
            "change",
            slug,
            "PATCH",
            f"/scheduling/api/v1/events/{slug}/sessions/{session_id}",
            headers=self.headers,
            json={"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(minutes=90)).isoformat()},
        )
        self.client.call(
            "release",
            slug,
            "POST",
            f"/scheduling/api/v1/events/{slug}/schedule/releases",
            headers=self.headers,
            json={},
        )
