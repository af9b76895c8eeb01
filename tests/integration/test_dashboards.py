"""Organisers read how an event is going (registrations by state against the
capacity, per day, by organisation and category, attendance per session) and
an organisation's year, as JSON and as a page whose charts are SVG images
named for assistive technology with the same numbers in tables; on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from sqlalchemy import update

from services.registration.models import Registration
from shared.web.auth import COOKIE
from tests.integration.registration_support import ORG, OTHER_ORG, programme_session

CATEGORIES = [
    {"code": "staff", "label": {"it": "Personale comunale", "en": "Municipal staff"}, "quota": 3},
    {"code": "elected", "label": {"it": "Amministratori"}},
]


def busy_event(desk) -> dict[int, str]:
    """Capacity 4: five confirmed-or-waiting people, one cancelled; two check in
    at the first session, one on the day; tokens by number."""
    desk.deliver("event.updated", capacity=4)
    first = desk.starts_at
    desk.release(
        programme_session(101, first, requires_signup=False, seat_limit=None, title="Apertura"),
        programme_session(102, first + dt.timedelta(hours=1), requires_signup=False, seat_limit=None, title="Bilancio"),
    )
    assert desk.as_organiser("put", "/categories", json={"categories": CATEGORIES}).status_code == 200
    organisations = {1: "Comune di Prova", 2: " comune di prova ", 3: "Università di Esempio", 4: "Comune di Prova"}
    tokens = {}
    for n in range(1, 7):
        category = "staff" if n <= 2 else "elected"
        tokens[n] = desk.registered(n, organisation=organisations.get(n, "ASL Uno"), category=category)["token"]
    desk.client.post(f"/api/v1/self/{tokens[4]}/cancel", json={})  # the fifth moves up from the line
    for n, body in (
        (1, {"session_id": 101}),
        (2, {"session_id": 101}),
        (3, {"day": desk.starts_at.date().isoformat()}),
    ):
        code = desk.own(tokens[n])["checkin_code"]
        response = desk.as_organiser("post", "/checkins", role="checkin", json={"code": code, **body})
        assert response.status_code == 201, response.get_json()
    return tokens


def test_the_event_dashboard_counts_states_capacity_days_organisations_categories_and_attendance(desk):
    busy_event(desk)
    response = desk.as_organiser("get", "/dashboard")
    assert response.status_code == 200, response.get_json()
    figures = response.get_json()
    assert figures["capacity"] == 4 and figures["total"] == 6
    assert figures["by_status"] == {"confirmed": 4, "cancelled": 1, "waitlisted": 1}
    assert (figures["confirmed"], figures["waitlisted"], figures["pending"]) == (4, 1, 0)
    assert figures["checked_in"] == 3 and figures["certificates"] == 0
    assert [d["registrations"] for d in figures["days"]] == [6] and figures["days"][0]["cumulative"] == 6
    # spelt alike up to case and spaces; the cancelled person (4) is not counted
    assert [(o["name"], o["count"]) for o in figures["organisations"]] == [
        ("Comune di Prova", 2),
        ("ASL Uno", 1),
        ("Università di Esempio", 1),
    ]
    assert [(c["label"]["it"], c["confirmed"], c["waitlisted"], c["quota"]) for c in figures["categories"]] == [
        ("Personale comunale", 2, 0, 3),
        ("Amministratori", 2, 1, None),
    ]
    people = {a["scope"]: (a["in_person"], a["online"], a["people"]) for a in figures["attendance"]}
    assert people == {"session:101": (2, 0, 2), "session:102": (0, 0, 0), f"day:{desk.starts_at.date()}": (1, 0, 1)}


def test_a_certificate_counts_while_it_is_held(desk):
    busy_event(desk)
    with desk.factory.begin() as session:
        session.execute(
            update(Registration).where(Registration.status == "confirmed").values(certified_at=dt.datetime.now(dt.UTC))
        )
    assert desk.as_organiser("get", "/dashboard").get_json()["certificates"] == 4


def test_registrations_per_day_follow_the_events_time_zone_and_add_up(desk):
    for n in (1, 2, 3):
        desk.registered(n)
    late = dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)  # 00:30 on the 29th in Rome (CET, the day DST starts)
    with desk.factory.begin() as session:
        ids = [r.id for r in session.query(Registration).order_by(Registration.email)]
        for registration_id, moment in zip(
            ids, (late, late + dt.timedelta(hours=10), late + dt.timedelta(days=2)), strict=True
        ):
            session.execute(update(Registration).where(Registration.id == registration_id).values(created_at=moment))
    days = desk.as_organiser("get", "/dashboard").get_json()["days"]
    assert days == [
        {"day": "2026-03-29", "registrations": 2, "cumulative": 2},
        {"day": "2026-03-31", "registrations": 1, "cumulative": 3},
    ]


class Outline(HTMLParser):
    """The page's SVG charts (their role and names) and its tables' headers."""

    def __init__(self):
        super().__init__()
        self.svgs: list[dict] = []
        self.ids: dict[str, str] = {}
        self.headers, self._id, self._text = 0, None, ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg":
            self.svgs.append(attributes)
        if tag in ("title", "desc") and attributes.get("id"):
            self._id, self._text = attributes["id"], ""
        if tag == "th" and attributes.get("scope") in ("col", "row"):
            self.headers += 1

    def handle_data(self, data):
        if self._id:
            self._text += data

    def handle_endtag(self, tag):
        if tag in ("title", "desc") and self._id:
            self.ids[self._id], self._id = self._text, None


def test_the_dashboard_page_draws_named_svg_charts_and_the_same_numbers_as_tables(desk):
    busy_event(desk)
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    response = desk.client.get(f"/organiser/events/{desk.event['slug']}/dashboard")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    outline = Outline()
    outline.feed(html)
    assert len(outline.svgs) == 5
    for svg in outline.svgs:
        assert svg["role"] == "img"
        title, desc = svg["aria-labelledby"].split()
        assert outline.ids[title] and outline.ids[desc]
    assert outline.ids["chart-states-title"] == "Iscrizioni per stato"
    assert outline.headers > 20
    assert re.search(r"<th scope=\"row\">Confermate</th><td>4</td>", html)
    assert re.search(r"<th scope=\"row\">Comune di Prova</th><td>2</td>", html)
    assert "Capienza: 4" in html  # the capacity line's label
    desk.client.set_cookie("lang", "en")
    english = desk.client.get(f"/organiser/events/{desk.event['slug']}/dashboard").get_data(as_text=True)
    assert "Registrations by state" in english and "Capacity: 4" in english


def test_the_organisation_year_lists_its_events_with_registrations_attendance_and_certificates(desk):
    busy_event(desk)
    year = desk.starts_at.year
    path = f"/api/v1/organiser/organisations/{ORG}/dashboard?year={year}"
    figures = desk.client.get(path, headers=desk.headers()).get_json()
    assert figures["years"] == [year]
    assert figures["totals"] == {"registrations": 6, "confirmed": 4, "checked_in": 3, "certified": 0}
    (event,) = figures["events"]
    assert event["slug"] == desk.event["slug"] and event["checked_in"] == 3
    assert figures["organisations"][0] == {"name": "Comune di Prova", "count": 2}
    empty = desk.client.get(f"{path[:-4]}{year + 1}", headers=desk.headers()).get_json()
    assert empty["events"] == [] and empty["totals"]["registrations"] == 0
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    page = desk.client.get(f"/organiser/organisations/{ORG}/dashboard?year={year}")
    assert page.status_code == 200 and 'role="img"' in page.get_data(as_text=True)


def test_dashboards_are_for_the_organisations_organisers_and_a_bad_year_is_named(desk):
    assert desk.client.get(f"/api/v1/organiser/events/{desk.event['slug']}/dashboard").status_code == 401
    stranger = desk.headers(organisation=OTHER_ORG)
    assert (
        desk.client.get(f"/api/v1/organiser/events/{desk.event['slug']}/dashboard", headers=stranger).status_code == 404
    )
    assert desk.as_organiser("get", "/dashboard", role="checkin").status_code == 403
    year_path = f"/api/v1/organiser/organisations/{ORG}/dashboard"
    assert desk.client.get(year_path, headers=stranger).status_code == 404
    bad = desk.client.get(f"{year_path}?year=99999", headers=desk.headers())
    assert bad.status_code == 422 and "year" in bad.get_json()["errors"]["query"]
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    assert desk.client.get(f"/organiser/organisations/{ORG}/dashboard?year=1").status_code == 422
