"""Bad input to the scheduling API is refused with a 4xx naming the field,
on SQLite and on PostgreSQL (where most of these used to end in a 500:
integers beyond its `integer`, names beyond their columns, a foreign key
checked by the database before the use case could name it)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.scheduling.models import Event, Room
from tests.integration.scheduling_support import CONGRESS, SchedulingDesk, session_body

BEYOND_INTEGER = 2**31  # one more than PostgreSQL's integer holds


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def desk(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return SchedulingDesk(tmp_path, database_url=database_url)


@pytest.fixture
def programme(desk):
    """Giulia's published congress with a room, a track, a session type and a session."""
    slug = desk.published_event()
    api = f"/api/v1/events/{slug}"
    room = desk.post(f"{api}/rooms", {"name": "Sala consiliare", "capacity": 30})
    track = desk.post(f"{api}/tracks", {"name": {"it": "Finanza locale", "en": "Local finance"}})
    kind = desk.post(f"{api}/session-types", {"name": {"it": "Laboratorio"}})
    session = desk.post(f"{api}/sessions", session_body("Apertura", "2027-03-27T10:00:00", "2027-03-27T11:00:00"))
    return {"api": api, "room": room, "track": track, "kind": kind, "session": session}


def refused(response, status: int, location: str, *path: str) -> dict:
    """The answer has `status` and its errors name the field at `path`."""
    assert response.status_code == status, response.get_data(as_text=True)
    errors = response.json["errors"][location]
    for key in path:
        assert key in errors, (key, response.json)
        errors = errors[key]
    return response.json


def test_a_session_id_beyond_the_integer_column_is_no_such_session(desk, programme):
    path = f"{programme['api']}/sessions/{BEYOND_INTEGER}"
    headers = desk.giulia

    assert desk.client.get(path, headers=headers).status_code == 404
    assert desk.client.patch(path, json={"language": "en"}, headers=headers).status_code == 404
    assert desk.client.delete(path, headers=headers).status_code == 404
    # control: the largest id the column holds still reaches the lookup
    assert desk.client.get(f"{programme['api']}/sessions/{BEYOND_INTEGER - 1}", headers=headers).status_code == 404


def test_a_seat_limit_beyond_the_integer_column_is_refused(desk, programme):
    body = session_body("Laboratorio", "2027-03-27T12:00:00", "2027-03-27T13:00:00", seat_limit=BEYOND_INTEGER)

    refused(desk.client.post(f"{programme['api']}/sessions", json=body, headers=desk.giulia), 422, "json", "seat_limit")


@pytest.mark.parametrize("path, body, field", [
    ("tracks/{track}", {"name": {"en": "Local finance"}}, "name"),
    ("session-types/{kind}", {"name": {"en": "Workshop"}}, "name"),
    ("sessions/{session}", {"title": {"en": "Opening"}}, "title"),
])  # fmt: skip
def test_a_patch_of_a_name_or_title_without_italian_names_the_missing_text(desk, programme, path, body, field):
    ids = {"track": programme["track"]["id"], "kind": programme["kind"]["id"], "session": programme["session"]["id"]}

    response = desk.client.patch(f"{programme['api']}/{path.format(**ids)}", json=body, headers=desk.giulia)

    refused(response, 422, "json", field, "it")


@pytest.mark.parametrize("kind", ["tracks", "session-types"])
def test_a_name_longer_than_its_column_is_refused_and_one_that_fits_is_kept(desk, programme, kind):
    too_long = desk.client.post(f"{programme['api']}/{kind}", json={"name": {"it": "n" * 201}}, headers=desk.giulia)
    refused(too_long, 422, "json", "name", "it")

    fits = desk.post(f"{programme['api']}/{kind}", {"name": {"it": "n" * 200, "en": "e" * 200}})
    assert fits["name"] == {"it": "n" * 200, "en": "e" * 200}


@pytest.mark.parametrize("name", ["Europe/" + "x" * 1017, "a/" * 512 + "b", "x" * 300])
def test_a_time_zone_that_no_one_has_is_refused_whatever_its_length(desk, name):
    response = desk.client.post("/api/v1/events", json={**CONGRESS, "timezone": name}, headers=desk.giulia)

    refused(response, 422, "json", "timezone")


@pytest.mark.parametrize("field, value", [
    ("starts_at", "0001-01-01T00:00:00"),
    ("ends_at", "9999-12-31T23:59:59"),
    ("starts_at", "1899-12-31T12:00:00+00:00"),
])  # fmt: skip
def test_an_event_date_outside_the_calendar_years_is_refused(desk, field, value):
    response = desk.client.post("/api/v1/events", json={**CONGRESS, field: value}, headers=desk.giulia)

    refused(response, 422, "json", field)


def test_a_session_in_year_one_is_refused(desk, programme):
    body = session_body("Apertura", "0001-01-01T00:00:00", "0001-01-01T01:00:00")

    refused(desk.client.post(f"{programme['api']}/sessions", json=body, headers=desk.giulia), 422, "json", "starts_at")


@pytest.mark.parametrize("query, field", [("from=0001-01-01", "from"), ("to=9999-12-31", "to")])
def test_the_public_event_list_refuses_days_outside_the_calendar_years_without_login(desk, query, field):
    desk.published_event()

    refused(desk.client.get(f"/api/v1/events?{query}"), 422, "query", field)
    # control: a day within the years lists the congress
    assert desk.client.get("/api/v1/events?from=2027-03-01&to=2027-03-31").json["total"] == 1


@pytest.mark.parametrize("field", ["room_id", "track_id", "type_id"])
def test_a_session_patch_naming_an_unknown_item_is_refused_naming_the_field(desk, programme, field):
    path = f"{programme['api']}/sessions/{programme['session']['id']}"

    response = desk.client.patch(path, json={field: "00000000-0000-4000-8000-000000000000"}, headers=desk.giulia)

    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    # control: a known item of the event is accepted
    known = {"room_id": programme["room"], "track_id": programme["track"], "type_id": programme["kind"]}[field]
    assert desk.patch(path, {field: known["id"]})[field] == known["id"]


@pytest.mark.parametrize("path, body, field", [
    ("", {**CONGRESS, "capacity": 1.5}, "capacity"),
    ("/{slug}/rooms", {"name": "Aula", "capacity": 1.5}, "capacity"),
    ("/{slug}/rooms", {"name": "Aula", "position": 2.5}, "position"),
    ("/{slug}/sessions", session_body("A", "2027-03-27T12:00:00", "2027-03-27T13:00:00", seat_limit=2.5), "seat_limit"),
])  # fmt: skip
def test_a_fraction_where_a_count_belongs_is_refused_not_rounded(desk, programme, path, body, field):
    slug = programme["api"].rsplit("/", 1)[1]

    response = desk.client.post(f"/api/v1/events{path.format(slug=slug)}", json=body, headers=desk.giulia)

    refused(response, 422, "json", field)
    with desk.factory() as session:
        assert session.scalar(select(Room).where(Room.name == "Aula")) is None


def test_registration_that_closes_before_it_opens_is_refused(desk):
    registration = {"opens_at": "2027-03-10T09:00", "closes_at": "2027-03-01T09:00"}

    response = desk.client.post("/api/v1/events", json={**CONGRESS, "registration": registration}, headers=desk.giulia)

    refused(response, 422, "json", "registration", "closes_at")
    with desk.factory() as session:
        assert session.scalar(select(Event)) is None


@pytest.mark.parametrize("field, body", [
    ("title", {**CONGRESS, "title": {"it": "Congresso\r\nBcc: tutti@example.org"}}),
    ("venue", {**CONGRESS, "venue": "Sala\nconsiliare"}),
])  # fmt: skip
def test_titles_and_venues_are_one_line(desk, field, body):
    refused(desk.client.post("/api/v1/events", json=body, headers=desk.giulia), 422, "json", field)


def test_a_room_or_speaker_name_on_two_lines_is_refused(desk, programme):
    room = desk.client.post(f"{programme['api']}/rooms", json={"name": "Aula\nmagna"}, headers=desk.giulia)
    speaker = desk.client.post(f"{programme['api']}/speakers", json={"name": "Anna\r\nVerdi"}, headers=desk.giulia)

    refused(room, 422, "json", "name")
    refused(speaker, 422, "json", "name")
