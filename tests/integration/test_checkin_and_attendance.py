"""Check-in by signed QR code, per day or per session, idempotent; attendance
minutes against the course total; crossing the threshold publishes
`attendance.certified` once."""

from __future__ import annotations

import datetime as dt

from services.registration.checkin import checkin_code
from tests.integration.registration_support import ORG, email, programme_session

HOUR = dt.timedelta(hours=1)


def code_of(desk, token) -> str:
    return desk.own(token)["checkin_code"]


def scan(desk, role="checkin", **body):
    return desk.as_organiser("post", "/checkins", role=role, json=body)


def test_a_scanned_code_checks_in_once_and_a_second_scan_says_already_checked_in(desk):
    token = desk.registered(1)["token"]
    day = desk.starts_at.date().isoformat()
    first = scan(desk, code=code_of(desk, token), day=day)
    second = scan(desk, code=code_of(desk, token), day=day)
    assert (first.status_code, first.get_json()["result"]) == (201, "checked_in")
    assert (second.status_code, second.get_json()["result"]) == (200, "already_checked_in")
    assert second.get_json()["message"] == "already checked in"
    assert second.get_json()["checked_in_at"] == first.get_json()["checked_in_at"]
    assert first.get_json()["registration"]["first_name"] == "Anna1"


def test_a_code_that_is_not_ours_or_of_another_event_is_a_404(desk):
    desk.registered(1)
    forged = checkin_code("not our secret", "0d6c7a52-2222-4b4b-8d8d-000000000002")
    assert scan(desk, code=forged).status_code == 404
    assert scan(desk, code="garbage").status_code == 404
    assert scan(desk, registration_id="no-such-registration").status_code == 404


def test_a_waitlisted_person_cannot_check_in(desk):
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3)]
    response = scan(desk, code=code_of(desk, tokens[2]), day=desk.starts_at.date().isoformat())
    assert response.status_code == 409 and response.get_json()["errors"]["json"]["status"]


def test_a_day_outside_the_event_is_a_422_naming_day(desk):
    token = desk.registered(1)["token"]
    response = scan(desk, code=code_of(desk, token), day="2001-01-01")
    assert response.status_code == 422 and response.get_json()["errors"]["json"]["day"]


def test_check_in_needs_a_role_in_the_events_organisation(desk):
    token = desk.registered(1)["token"]
    body = {"code": code_of(desk, token), "day": desk.starts_at.date().isoformat()}
    assert desk.client.post("/api/v1/organiser/events/x/checkins", json=body).status_code == 401
    other = desk.client.post(
        f"/api/v1/organiser/events/{desk.event['slug']}/checkins",
        json=body,
        headers=desk.headers("checkin", organisation="elsewhere"),
    )
    assert other.status_code == 404  # another organisation's event answers as no event
    assert scan(desk, role="organiser", **body).status_code == 201
    assert desk.as_organiser("get", "/registrations", role="checkin").status_code == 403  # check-in only


def test_either_a_code_or_a_registration_id_is_required(desk):
    assert scan(desk).status_code == 422
    assert scan(desk, code="a", registration_id="b").status_code == 422


def test_session_check_ins_add_up_to_attendance_and_the_threshold_certifies_once(desk):
    start = desk.starts_at
    desk.release(
        programme_session(1, start, 60, requires_signup=False, seat_limit=None),
        programme_session(2, start + HOUR, 60, requires_signup=False, seat_limit=None),
        programme_session(3, start + 2 * HOUR, 60, requires_signup=False, seat_limit=None),
        programme_session(4, start + 3 * HOUR, 60, requires_signup=False, seat_limit=None),
    )
    desk.as_organiser("patch", "/policies", json={"attendance_threshold": 75})
    token = desk.registered(1)["token"]
    registration_id = desk.own(token)["id"]
    for session_id in (1, 2):
        scan(desk, registration_id=registration_id, session_id=session_id)
    assert desk.own(token)["attendance"] == {
        "minutes_attended": 120,
        "total_minutes": 240,
        "percent": 50.0,
        "certified_at": None,
    }
    assert desk.events("attendance.certified") == []
    scan(desk, registration_id=registration_id, session_id=3)
    scan(desk, registration_id=registration_id, session_id=4)
    (event,) = desk.events("attendance.certified")
    data = event[1]
    assert (data["minutes_attended"], data["total_minutes"], data["hours"], data["threshold_percent"]) == (
        180,
        240,
        3.0,
        75,
    )
    assert data["organisation_ids"] == [ORG] and data["participant"]["email"] == email(1)
    assert desk.own(token)["certified_at"]


def test_a_day_check_in_counts_that_days_programme(desk):
    start = desk.starts_at
    desk.release(
        programme_session(1, start, 120, requires_signup=False, seat_limit=None),
        programme_session(2, start + 3 * HOUR, 60, requires_signup=False, seat_limit=None),
    )
    token = desk.registered(1)["token"]
    scan(desk, code=code_of(desk, token), day=start.date().isoformat())
    assert desk.own(token)["attendance"]["minutes_attended"] == 180


def test_a_workshop_session_checks_in_only_those_signed_up(desk):
    desk.release(programme_session(5, desk.starts_at, 60, seat_limit=1))
    inside = desk.registered(1, workshops=[5])["token"]
    outside = desk.registered(2)["token"]
    assert scan(desk, code=code_of(desk, inside), session_id=5).status_code == 201
    refused = scan(desk, code=code_of(desk, outside), session_id=5)
    assert refused.status_code == 409 and refused.get_json()["errors"]["json"]["session_id"]


def test_lowering_the_threshold_certifies_those_who_now_reach_it(desk):
    token = desk.registered(1)["token"]
    scan(desk, code=code_of(desk, token), day=desk.starts_at.date().isoformat())  # the whole (one-day) event
    assert desk.events("attendance.certified") == []
    desk.as_organiser("patch", "/policies", json={"attendance_threshold": 90})
    assert len(desk.events("attendance.certified")) == 1


def test_the_organiser_sees_everyones_attendance(desk):
    token = desk.registered(1)["token"]
    desk.registered(2)
    scan(desk, code=code_of(desk, token), day=desk.starts_at.date().isoformat())
    rows = desk.as_organiser("get", "/attendance").get_json()
    assert [(r["first_name"], r["minutes_attended"], r["total_minutes"]) for r in rows] == [
        ("Anna1", 240, 240),
        ("Anna2", 0, 240),
    ]
