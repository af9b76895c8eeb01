"""Hours and credits through the scheduling API, on SQLite and PostgreSQL:
an organisation's owners and organisers define its credit types (others are
told it does not exist), events and sessions grant credits of their
organisations' types, sessions certify hours (none given: their duration),
bad amounts are refused naming the field, and the event.* and
schedule.released messages carry what the contract says; a change of hours
or credits is released as "changed" without raising SEQUENCE."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services.scheduling import accounts
from services.scheduling.models import Organisation, Outbox
from shared.envelope import parse_envelope
from tests.integration.scheduling_support import SchedulingDesk, login, session_body

REVISORI = {"name": {"it": "Crediti formativi revisori", "en": "Auditors' training credits"}, "unit": "CFP"}
ANNA = {"email": "anna@comuni.example", "password": "pw-anna"}  # check-in staff of the municipalities


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def desk(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return SchedulingDesk(tmp_path, database_url=database_url)


def organisation_id(desk, slug: str) -> str:
    with desk.factory() as session:
        return session.scalar(select(Organisation.id).where(Organisation.slug == slug))


def credit_type(desk, body=REVISORI, organisation="comuni", who=None) -> dict:
    return desk.post(f"/api/v1/organisations/{organisation_id(desk, organisation)}/credit-types", body, who=who)


def outbox(desk, routing_key):
    with desk.factory() as session:
        rows = session.scalars(select(Outbox).where(Outbox.routing_key == routing_key).order_by(Outbox.id)).all()
    return [parse_envelope(json.loads(row.body)) for row in rows]


def test_owners_define_credit_types_and_other_organisations_cannot_see_them(desk):
    created = credit_type(desk)
    assert created["name"] == REVISORI["name"] and created["unit"] == "CFP"
    api = f"/api/v1/organisations/{organisation_id(desk, 'comuni')}/credit-types"
    assert [item["id"] for item in desk.client.get(api, headers=desk.giulia).json] == [created["id"]]
    assert desk.client.get("/api/v1/organisations/comuni/credit-types", headers=desk.giulia).status_code == 200
    with desk.factory() as session, session.begin():
        comuni = organisation_id(desk, "comuni")
        accounts.create_account(
            session, email=ANNA["email"], name="Anna", password=ANNA["password"], memberships={comuni: "checkin"}
        )
    anna = login(desk.client, **ANNA)
    for who in (desk.marco, anna):
        assert desk.client.get(api, headers=who).status_code == 404
        assert desk.client.post(api, json=REVISORI, headers=who).status_code == 404
        assert desk.client.patch(f"{api}/{created['id']}", json={"unit": "ore"}, headers=who).status_code == 404
        assert desk.client.delete(f"{api}/{created['id']}", headers=who).status_code == 404
    assert desk.client.get(api).status_code == 401
    assert desk.client.post(api, json=REVISORI, headers=desk.giulia).status_code == 409  # same name twice


@pytest.mark.parametrize(
    "body, field",
    [
        ({"unit": "CFP"}, "name"),
        ({"name": {"en": "Credits"}}, "name"),
        ({"name": {"it": "Crediti"}, "unit": "C" * 41}, "unit"),
        ({"name": {"it": "Crediti\nrevisori"}}, "name"),
    ],
)
def test_a_bad_credit_type_is_refused_naming_the_field(desk, body, field):
    api = f"/api/v1/organisations/{organisation_id(desk, 'comuni')}/credit-types"
    refused = desk.client.post(api, json=body, headers=desk.giulia)
    assert refused.status_code == 422 and field in refused.json["errors"]["json"], refused.json


def test_an_event_grants_credits_and_its_messages_and_public_answers_carry_them(desk):
    revisori = credit_type(desk)
    slug = desk.published_event(credits=[{"type_id": revisori["id"], "amount": 3}])
    published = outbox(desk, "event.published")[-1]
    assert published.data["credits"] == [
        {
            "type_id": revisori["id"],
            "organisation_id": organisation_id(desk, "comuni"),
            "name": REVISORI["name"],
            "unit": "CFP",
            "amount": 3.0,
        }
    ]
    public = desk.client.get(f"/api/v1/events/{slug}").json
    assert public["credits"][0]["amount"] == 3.0 and public["credits"][0]["unit"] == "CFP"
    desk.patch(f"/api/v1/events/{slug}", {"credits": [{"type_id": revisori["id"], "amount": 4.5}]})
    updated = outbox(desk, "event.updated")[-1]
    assert updated.data["credits"][0]["amount"] == 4.5 and updated.data["revision"] == published.data["revision"] + 1
    desk.patch(f"/api/v1/events/{slug}", {"credits": [{"type_id": revisori["id"], "amount": 4.5}]})
    assert len(outbox(desk, "event.updated")) == 1  # the same credits again change nothing
    desk.patch(f"/api/v1/events/{slug}", {"credits": []})
    assert outbox(desk, "event.updated")[-1].data["credits"] == []


def test_credits_of_an_unknown_type_another_organisation_or_a_negative_amount_are_refused(desk):
    from tests.integration.scheduling_support import CONGRESS

    revisori = credit_type(desk)
    theirs = credit_type(desk, {"name": {"it": "CFU"}, "unit": "CFU"}, organisation="ateneo", who=desk.marco)
    slug = desk.published_event()
    for credits, where in (
        ([{"type_id": "no-such-type", "amount": 1}], "credits"),
        ([{"type_id": theirs["id"], "amount": 1}], "credits"),
        ([{"type_id": revisori["id"], "amount": -1}], "credits"),
        ([{"type_id": revisori["id"], "amount": "tre"}], "credits"),
        ([{"type_id": revisori["id"], "amount": 1}, {"type_id": revisori["id"], "amount": 2}], "credits"),
        ([{"amount": 1}], "credits"),
    ):
        for response in (
            desk.client.post("/api/v1/events", json={**CONGRESS, "credits": credits}, headers=desk.giulia),
            desk.client.patch(f"/api/v1/events/{slug}", json={"credits": credits}, headers=desk.giulia),
            desk.client.post(
                f"/api/v1/events/{slug}/sessions",
                json=session_body("Bilancio", "2027-03-27T10:00:00", "2027-03-27T12:00:00", credits=credits),
                headers=desk.giulia,
            ),
        ):
            assert response.status_code == 422 and list(response.json["errors"]["json"]) == [where], response.json
    assert outbox(desk, "event.updated") == []


def test_sessions_certify_hours_and_credits_and_a_change_is_released_as_changed(desk):
    revisori = credit_type(desk)
    slug = desk.published_event()
    api = f"/api/v1/events/{slug}"
    talk = desk.post(
        f"{api}/sessions",
        session_body(
            "Bilancio armonizzato",
            "2027-03-27T10:00:00",
            "2027-03-27T12:00:00",
            hours=1.5,
            credits=[{"type_id": revisori["id"], "amount": 2}],
        ),
    )
    plain = desk.post(f"{api}/sessions", session_body("Saluti", "2027-03-27T09:00:00", "2027-03-27T09:30:00"))
    assert talk["hours"] == 1.5 and talk["credits"][0]["amount"] == 2.0
    assert plain["hours"] is None and plain["credits"] == []
    desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    first = {s["id"]: s for s in outbox(desk, "schedule.released")[-1].data["sessions"]}
    assert first[talk["id"]]["hours"] == 1.5 and first[talk["id"]]["credits"][0]["name"] == REVISORI["name"]
    assert first[plain["id"]]["hours"] is None and first[plain["id"]]["credits"] == []
    schedule = desk.client.get(f"{api}/schedule").json  # public facts
    assert {s["id"]: s["hours"] for s in schedule["sessions"]} == {talk["id"]: 1.5, plain["id"]: None}

    desk.patch(f"{api}/sessions/{talk['id']}", {"hours": 2, "credits": [{"type_id": revisori["id"], "amount": 3}]})
    version = desk.post(f"{api}/schedule/releases", {"name": "1.1"})
    assert [line["id"] for line in version["changelog"]["changed"]] == [talk["id"]]
    second = outbox(desk, "schedule.released")[-1].data["sessions"]
    assert [(s["id"], s["changes"], s["hours"], s["sequence"]) for s in second] == [(talk["id"], ["changed"], 2.0, 0)]
    assert second[0]["credits"][0]["amount"] == 3.0

    desk.patch(f"{api}/sessions/{talk['id']}", {"hours": None})
    desk.post(f"{api}/schedule/releases", {"name": "1.2"})
    assert outbox(desk, "schedule.released")[-1].data["sessions"][0]["hours"] is None


def test_a_session_refuses_negative_hours_and_a_break_certifies_nothing(desk):
    revisori = credit_type(desk)
    api = f"/api/v1/events/{desk.published_event()}/sessions"
    for body, field in (
        (session_body("Lezione", "2027-03-27T10:00:00", "2027-03-27T11:00:00", hours=-1), "hours"),
        (session_body("Lezione", "2027-03-27T10:00:00", "2027-03-27T11:00:00", hours=1001), "hours"),
        (session_body("Lezione", "2027-03-27T10:00:00", "2027-03-27T11:00:00", hours="due"), "hours"),
        (session_body("Pausa", "2027-03-27T11:00:00", "2027-03-27T11:30:00", kind="break", hours=0.5), "hours"),
        (
            session_body(
                "Pausa",
                "2027-03-27T11:00:00",
                "2027-03-27T11:30:00",
                kind="break",
                credits=[{"type_id": revisori["id"], "amount": 1}],
            ),
            "credits",
        ),
    ):
        refused = desk.client.post(api, json=body, headers=desk.giulia)
        assert refused.status_code == 422 and list(refused.json["errors"]["json"]) == [field], refused.json


def test_a_credit_type_is_deleted_only_while_unused_and_a_new_name_reaches_published_events(desk):
    revisori = credit_type(desk)
    spare = credit_type(desk, {"name": {"it": "Crediti avvocati"}, "unit": "CF"})
    slug = desk.published_event(credits=[{"type_id": revisori["id"], "amount": 3}])
    api = f"/api/v1/organisations/{organisation_id(desk, 'comuni')}/credit-types"
    in_use = desk.client.delete(f"{api}/{revisori['id']}", headers=desk.giulia)
    assert in_use.status_code == 409, in_use.json
    assert desk.client.delete(f"{api}/{spare['id']}", headers=desk.giulia).status_code == 204
    assert [item["id"] for item in desk.client.get(api, headers=desk.giulia).json] == [revisori["id"]]

    renamed = desk.patch(f"{api}/{revisori['id']}", {"name": {"it": "CFP revisori legali", "en": "Auditors' CFP"}})
    assert renamed["name"]["it"] == "CFP revisori legali" and renamed["unit"] == "CFP"
    updated = outbox(desk, "event.updated")[-1]
    assert updated.data["slug"] == slug and updated.data["credits"][0]["name"]["it"] == "CFP revisori legali"

    session_api = f"/api/v1/events/{slug}/sessions"
    talk = desk.post(
        session_api,
        session_body(
            "Lezione", "2027-03-27T10:00:00", "2027-03-27T11:00:00", credits=[{"type_id": revisori["id"], "amount": 1}]
        ),
    )
    desk.patch(f"/api/v1/events/{slug}", {"credits": []})
    assert desk.client.delete(f"{api}/{revisori['id']}", headers=desk.giulia).status_code == 409  # the session
    desk.patch(f"{session_api}/{talk['id']}", {"credits": []})
    assert desk.client.delete(f"{api}/{revisori['id']}", headers=desk.giulia).status_code == 204


def test_sessions_released_before_hours_and_credits_existed_do_not_change_by_having_none():
    from services.scheduling.programme.versions import release
    from tests.unit.schedule_samples import entry, utc

    later = utc(2027, 2, 1, 12).isoformat()
    old = entry(1, utc(2027, 3, 27, 8), sequence=2)  # an entry of an older release: no hours, no credits
    assert "hours" not in old and "credits" not in old
    same = {**old, "hours": None, "credits": [], "sequence": 99, "updated_at": "ignored"}
    assert release([old], [same], later).is_empty
    longer = {**same, "hours": 2.0}  # the control: hours set are a change
    result = release([old], [longer], later)
    assert result.changed[0]["changes"] == ["changed"] and result.entries[0]["sequence"] == 2


def test_amounts_and_hours_are_kept_to_the_hundredth_in_the_first_message_as_in_later_ones(desk):
    revisori = credit_type(desk)
    slug = desk.published_event(credits=[{"type_id": revisori["id"], "amount": 1.234}])
    assert outbox(desk, "event.published")[-1].data["credits"][0]["amount"] == 1.23
    api = f"/api/v1/events/{slug}"
    talk = desk.post(
        f"{api}/sessions", session_body("Lezione", "2027-03-27T10:00:00", "2027-03-27T11:00:00", hours=0.666)
    )
    assert talk["hours"] == 0.67
    desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    assert outbox(desk, "schedule.released")[-1].data["sessions"][0]["hours"] == 0.67
    assert desk.client.get(f"{api}/sessions/{talk['id']}", headers=desk.giulia).json["hours"] == 0.67
