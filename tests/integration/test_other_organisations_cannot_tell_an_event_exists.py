"""Every organiser route of scheduling and registration, called by an organiser
of another organisation: on a real event of someone else it answers exactly
as on an event that does not exist (404, never 403 or data), so a stranger
cannot even learn what exists. The table is built from the apps' own routes,
so a route added later is covered by itself; its control shows that the
event's own organisers do get through."""

from __future__ import annotations

import io
import re

import pytest

from shared.web.auth import COOKIE
from tests.factories import settings_for
from tests.integration.registration_support import ORG, Desk, programme_session
from tests.integration.scheduling_support import SchedulingDesk, session_body

ROUTE_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
SKIPPED_PARAMS = {"filename", "code", "token", "key"}  # public files, the language switch, secret links


def organiser_routes(app) -> list[tuple[str, str]]:
    """(method, rule) of every route of an event that is not public."""
    routes = []
    for rule in app.url_map.iter_rules():
        names = set(ROUTE_PARAM.findall(rule.rule))
        if "slug" not in names or names & SKIPPED_PARAMS:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method, rule.rule))
    return routes


def fill(rule: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        spec = match.group(0)
        if spec.startswith("<any("):
            return spec[len("<any(") :].split(",")[0].split(")")[0].strip()
        return values[match.group(1)]

    return ROUTE_PARAM.sub(value, rule)


def call(client, method: str, path: str, headers: dict):
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") and "/api/" in path else {}
    return client.open(path, method=method, headers=headers, **body)


def compare(client, routes, real: dict, missing: dict, stranger: dict, owner: dict, public: dict | None = None):
    """Statuses (route, stranger on the real event, stranger on nothing, owner on the real event)."""
    table = []
    for method, rule in routes:
        anonymous = call(client, method, fill(rule, real), {})
        if method == "GET" and anonymous.status_code == 200:
            continue  # a public page or file: there is nothing to hide
        on_real = call(client, method, fill(rule, real), stranger).status_code
        on_missing = call(client, method, fill(rule, missing), stranger).status_code
        # The owner's control only reads: a write would change what later rows see.
        by_owner = call(client, method, fill(rule, real), owner).status_code if method == "GET" else None
        table.append((f"{method} {rule}", on_real, on_missing, by_owner))
    return table


def assert_indistinguishable(table):
    assert len(table) >= 10, table
    told_apart = [row for row in table if row[1] != row[2] or row[1] == 403 or 200 <= row[1] < 300]
    assert told_apart == [], told_apart
    assert sum(1 for row in table if row[1] == 404) >= len(table) // 2, table
    # Control: the event's own organiser reads what the stranger cannot.
    reads = [row for row in table if row[3] is not None]
    assert len(reads) >= 3 and all(row[3] == 200 for row in reads), [row for row in reads if row[3] != 200]


def test_a_stranger_gets_from_scheduling_what_a_missing_event_gives(tmp_path):
    desk = SchedulingDesk(tmp_path)
    slug = desk.published_event()
    api = f"/api/v1/events/{slug}"
    ids = {
        kind: desk.post(f"{api}/{kind}", body)["id"]
        for kind, body in (
            ("rooms", {"name": "Aula 1"}),
            ("tracks", {"name": {"it": "Finanza"}}),
            ("session-types", {"name": {"it": "Relazione"}}),
            ("speakers", {"name": "Anna Rossi"}),
        )
    }
    session = desk.post(f"{api}/sessions", session_body("Apertura", "2027-03-27T09:00:00", "2027-03-27T10:00:00"))
    desk.post(f"{api}/schedule/releases", {"force": True})  # the released schedule is public: skipped below
    real = {"slug": slug, "item_id": ids["rooms"], "session_id": str(session["id"]), "kind": "rooms"}
    missing = {**real, "slug": "no-such-event"}
    routes = [(method, rule) for method, rule in organiser_routes(desk.app) if "/api/" in rule]
    assert_indistinguishable(compare(desk.client, routes, real, missing, desk.marco, desk.giulia))

    pages = [(method, rule) for method, rule in organiser_routes(desk.app) if rule.startswith("/organiser/")]
    stranger_cookie = desk.marco["Authorization"].split(" ", 1)[1]
    owner_cookie = desk.giulia["Authorization"].split(" ", 1)[1]
    rows = []
    for method, rule in pages:
        statuses = []
        for values, token in ((real, stranger_cookie), (missing, stranger_cookie), (real, owner_cookie))[
            : 3 if method == "GET" else 2
        ]:
            desk.client.set_cookie(COOKIE, token)
            statuses.append(call(desk.client, method, fill(rule, values), {}).status_code)
        rows.append((f"{method} {rule}", *statuses))
    desk.client.delete_cookie(COOKIE)
    told_apart = [row for row in rows if row[1] != row[2] or row[1] == 403 or 200 <= row[1] < 300]
    assert told_apart == [], told_apart
    assert any(len(row) > 3 and row[3] == 200 for row in rows), rows  # control: the owner's pages open


# The event's own final test and survey, so that their organiser pages exist for the owner's control.
FINAL_TEST = {
    "title": {"it": "Verifica"},
    "pass_percent": 60,
    "attempts_allowed": 1,
    "questions": [
        {
            "kind": "single",
            "text": {"it": "Chi approva il bilancio?"},
            "options": [{"text": {"it": "Il consiglio"}, "correct": True}, {"text": {"it": "La giunta"}}],
        }
    ],
}
SURVEY = {"questions": [{"key": "overall", "kind": "likert", "text": {"it": "Giudizio complessivo"}}]}


@pytest.fixture
def registration(tmp_path):
    desk = Desk(settings_for("registration", tmp_path))
    desk.deliver("event.published")
    return desk


def test_a_stranger_gets_from_registration_what_a_missing_event_gives(registration):
    desk = registration
    person = desk.registered(1)
    desk.release(programme_session(1, desk.starts_at, 60, requires_signup=False, seat_limit=None))
    report = io.BytesIO(
        f"email,join,leave\n{person['registration']['email']},{desk.starts_at.isoformat()},"
        f"{desk.starts_at.isoformat()}\n".encode()
    )
    preview = desk.as_organiser(
        "post",
        "/attendance-imports",
        data={"target": "session:1", "file": (report, "report.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 201, preview.get_json()
    test = desk.as_organiser("put", "/final-test", json=FINAL_TEST)
    survey = desk.as_organiser("put", "/survey", json=SURVEY)
    assert test.status_code == 200 and survey.status_code == 200, (test.get_json(), survey.get_json())
    real = {
        "slug": desk.event["slug"],
        "registration_id": person["registration"]["id"],
        "import_id": str(preview.get_json()["id"]),
    }
    missing = {**real, "slug": "no-such-event"}
    stranger = desk.headers("owner", organisation="another-organisation")
    owner = desk.headers("owner", organisation=ORG)
    routes = [(method, rule) for method, rule in organiser_routes(desk.app) if "/organiser/" in rule]
    api = [(m, r) for m, r in routes if r.startswith("/api/")]
    assert_indistinguishable(compare(desk.client, api, real, missing, stranger, owner))

    rows = []
    for method, rule in [(m, r) for m, r in routes if r.startswith("/organiser/")]:
        statuses = []
        for values, headers in ((real, stranger), (missing, stranger), (real, owner))[: 3 if method == "GET" else 2]:
            desk.client.set_cookie(COOKIE, headers["Authorization"].split(" ", 1)[1])
            statuses.append(call(desk.client, method, fill(rule, values), {}).status_code)
        rows.append((f"{method} {rule}", *statuses))
    told_apart = [row for row in rows if row[1] != row[2] or row[1] == 403 or 200 <= row[1] < 300]
    assert told_apart == [], told_apart
    assert any(len(row) > 3 and row[3] == 200 for row in rows), rows  # control: the owner's pages open
