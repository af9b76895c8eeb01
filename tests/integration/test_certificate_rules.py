"""Certificate rules on SQLite and PostgreSQL: a minimum share of the
certified hours (a session counts its own hours), mandatory sessions, a
passed final test; credits earned with the certificate; organisers issue and
revoke by hand with a reason that is kept; stricter rules revoke what the
rules issued but not what an organiser issued; the end-of-event evaluation
corrects a certificate once."""

from __future__ import annotations

import datetime as dt

from services.registration import certificates
from services.registration.models import Certificate, Listing
from tests.integration.registration_support import programme_session

HOUR = dt.timedelta(hours=1)
AUDIT = {
    "type_id": "cfp",
    "organisation_id": "org",
    "name": {"it": "Crediti revisori", "en": "Auditor credits"},
    "unit": "CFP",
}


def credit(amount: float, **overrides) -> dict:
    return {**AUDIT, "amount": amount, **overrides}


def course(desk, *, hours=(None, None, None, None), credits_per_session=None):
    """Four one-hour sessions back to back; the event grants 4 CFP."""
    desk.deliver("event.updated", credits=[credit(4)])
    start = desk.starts_at
    sessions = []
    for n in range(4):
        item = programme_session(n + 1, start + n * HOUR, 60, requires_signup=False, seat_limit=None)
        item["hours"] = hours[n]
        item["credits"] = (credits_per_session or {}).get(n + 1, [])
        sessions.append(item)
    desk.release(*sessions)


def attend(desk, registration_id: str, *session_ids: int) -> None:
    for session_id in session_ids:
        response = desk.as_organiser(
            "post", "/checkins", json={"registration_id": registration_id, "session_id": session_id}
        )
        assert response.status_code in (200, 201), response.get_json()


def person(desk, n: int = 1) -> tuple[str, str]:
    token = desk.registered(n)["token"]
    return token, desk.own(token)["id"]


def rules(desk, **body):
    return desk.as_organiser("patch", "/certificate-rules", json=body)


def certified(desk):
    return [data for _, data in desk.events("attendance.certified")]


def test_a_sessions_own_hours_count_and_credits_come_with_the_certificate(desk):
    course(desk, hours=(3.0, None, None, None), credits_per_session={1: [credit(1.5)], 4: [credit(2, type_id="other")]})
    assert rules(desk, min_share_percent=75).status_code == 200
    _, registration_id = person(desk)
    attend(desk, registration_id, 2, 3, 4)  # 3 of 6 certified hours: 50 %, though 75 % of the minutes
    assert certified(desk) == []
    attend(desk, registration_id, 1)
    (data,) = certified(desk)
    assert (data["hours_total"], data["issued_by"], data["reason"]) == (6.0, "rules", "")
    assert data["certificate_id"] and data["final_test_score"] is None
    assert sorted((c["type_id"], c["amount"]) for c in data["credits"]) == [("cfp", 5.5), ("other", 2.0)]


def test_a_mandatory_session_must_be_attended_whatever_the_share(desk):
    course(desk)
    assert rules(desk, min_share_percent=50, mandatory_session_ids=[4]).status_code == 200
    _, registration_id = person(desk)
    attend(desk, registration_id, 1, 2, 3)
    assert certified(desk) == []
    standing = desk.as_organiser("get", f"/registrations/{registration_id}/certificate").get_json()
    assert standing["unmet"] == ["session:4"] and standing["share"] == 75.0
    attend(desk, registration_id, 4)
    assert len(certified(desk)) == 1


def test_a_mandatory_session_must_be_one_of_the_programme(desk):
    course(desk)
    response = rules(desk, mandatory_session_ids=[99])
    assert response.status_code == 422 and "mandatory_session_ids" in response.get_json()["errors"]["json"]
    assert rules(desk, min_share_percent=101).status_code == 422


def test_an_organiser_revokes_with_a_reason_and_the_rules_then_leave_it_alone(desk):
    course(desk)
    rules(desk, min_share_percent=50)
    _, registration_id = person(desk)
    attend(desk, registration_id, 1, 2)
    (issued,) = certified(desk)
    path = f"/registrations/{registration_id}/certificate/decisions"
    assert desk.as_organiser("post", path, json={"action": "revoke"}).status_code == 422  # the reason is required
    response = desk.as_organiser("post", path, json={"action": "revoke", "reason": "Firma falsa sul foglio"})
    assert response.status_code == 201, response.get_json()
    ((_, revoked),) = desk.events("certificate.revoked")
    assert (revoked["certificate_id"], revoked["cause"], revoked["reason"]) == (
        issued["certificate_id"],
        "organiser",
        "Firma falsa sul foglio",
    )
    attend(desk, registration_id, 3, 4)  # more attendance does not overturn the organiser
    assert len(certified(desk)) == 1
    standing = desk.as_organiser("get", f"/registrations/{registration_id}/certificate").get_json()
    assert standing["certificate"] is None
    (decision,) = standing["decisions"]
    assert (decision["action"], decision["reason"], decision["decided_by"]) == (
        "revoke",
        "Firma falsa sul foglio",
        "account-organiser",
    )
    again = desk.as_organiser("post", path, json={"action": "revoke", "reason": "di nuovo"})
    assert again.status_code == 409


def test_an_organiser_issues_by_hand_below_the_rules(desk):
    course(desk)
    rules(desk, min_share_percent=75)
    _, registration_id = person(desk)
    attend(desk, registration_id, 1)
    path = f"/registrations/{registration_id}/certificate/decisions"
    response = desk.as_organiser("post", path, json={"action": "issue", "reason": "Assenza giustificata"})
    assert response.status_code == 201
    (data,) = certified(desk)
    assert (data["issued_by"], data["reason"], data["hours_total"]) == ("organiser", "Assenza giustificata", 1.0)
    assert response.get_json()["certificate"]["certificate_id"] == data["certificate_id"]
    assert desk.as_organiser("post", path, json={"action": "give", "reason": "x"}).status_code == 422
    assert desk.as_organiser("post", path, json={"action": "issue", "reason": "x"}, role="checkin").status_code == 403


def test_stricter_rules_revoke_what_the_rules_issued_but_not_what_an_organiser_issued(desk):
    course(desk)
    rules(desk, min_share_percent=50)
    _, by_rules = person(desk, 1)
    _, by_hand = person(desk, 2)
    attend(desk, by_rules, 1, 2)
    desk.as_organiser(
        "post", f"/registrations/{by_hand}/certificate/decisions", json={"action": "issue", "reason": "ok"}
    )
    assert rules(desk, min_share_percent=75).status_code == 200
    revoked = [data for _, data in desk.events("certificate.revoked")]
    assert [(r["registration_id"], r["cause"], r["reason"]) for r in revoked] == [(by_rules, "rules", "share")]
    rows = {r["registration_id"]: r for r in desk.as_organiser("get", "/certificates").get_json()}
    assert rows[by_rules]["certificate"] is None and rows[by_hand]["certificate"]["issued_by"] == "organiser"


def test_the_end_of_the_event_corrects_a_certificate_once(desk):
    course(desk)
    rules(desk, min_share_percent=75)
    _, registration_id = person(desk)
    attend(desk, registration_id, 1, 2, 3)
    attend(desk, registration_id, 4)  # during the event the first certificate stands
    (first,) = certified(desk)
    assert first["hours_total"] == 3.0
    after = desk.event["ends_at"] + HOUR
    with desk.factory() as session, session.begin():
        assert certificates.close_ended(session, now=after) == 1
    with desk.factory() as session, session.begin():
        assert certificates.close_ended(session, now=after + HOUR) == 0  # once per event
    first_again, corrected = certified(desk)
    assert corrected["hours_total"] == 4.0 and corrected["certificate_id"] != first["certificate_id"]
    assert desk.events("certificate.revoked") == []  # a correction replaces, it does not revoke
    with desk.factory() as session:
        old = session.get(Certificate, first["certificate_id"])
        assert old.superseded_by == corrected["certificate_id"] and not old.live
        assert session.get(Listing, desk.event["event_id"]).attendance_threshold == 75


def test_the_end_of_the_event_issues_nothing_for_an_event_without_certificates(desk):
    course(desk)
    _, registration_id = person(desk)
    attend(desk, registration_id, 1, 2, 3, 4)
    with desk.factory() as session, session.begin():
        assert certificates.close_ended(session, now=desk.event["ends_at"] + HOUR) == 0
    assert certified(desk) == []


def test_the_rules_page_saves_and_lists_everyone(desk):
    from tests.integration.registration_support import post_form

    course(desk)
    _, registration_id = person(desk)
    desk.client.set_cookie("eventi_organiser", desk.headers()["Authorization"].split()[1])
    page = f"/organiser/events/{desk.event['slug']}/certificates"
    response = post_form(
        desk.client,
        f"/organiser/events/{desk.event['slug']}/certificate-rules",
        {"min_share_percent": "50", "mandatory_session_ids": ["2"]},
        page=page,
    )
    assert response.status_code == 303
    assert desk.as_organiser("get", "/certificate-rules").get_json() == {
        "min_share_percent": 50,
        "mandatory_session_ids": [2],
        "final_test_required": False,
    }
    html = desk.client.get(page).get_data(as_text=True)
    assert "Anna1" in html and "Regole dell" in html
    english = desk.client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Certificate rules" in english


def test_erasure_revokes_the_certificate_as_erased_and_forgets_attempts_and_reasons(desk):
    from sqlalchemy import select

    from services.registration.models import CertificateDecision, FinalTestAttempt

    course(desk)
    rules(desk, min_share_percent=50)
    token, registration_id = person(desk)
    attend(desk, registration_id, 1, 2)
    desk.as_organiser(
        "put",
        "/final-test",
        json={
            "title": {"it": "Verifica"},
            "pass_percent": 50,
            "questions": [
                {
                    "kind": "single",
                    "text": {"it": "Sì?"},
                    "options": [{"text": {"it": "sì"}, "correct": True}, {"text": {"it": "no"}}],
                }
            ],
        },
    )
    desk.client.post(f"/api/v1/self/{token}/final-test/attempts", json={"answers": {}})
    desk.as_organiser(
        "post",
        f"/registrations/{registration_id}/certificate/decisions",
        json={"action": "issue", "reason": "Anna ha recuperato"},
    )
    ((_, live),) = desk.events("attendance.certified")[-1:]
    assert desk.client.post(f"/api/v1/self/{token}/erase").status_code == 204
    ((_, revoked),) = desk.events("certificate.revoked")
    assert (revoked["certificate_id"], revoked["cause"]) == (live["certificate_id"], "erasure")
    with desk.factory() as session:
        assert session.scalars(select(FinalTestAttempt)).all() == []
        assert [d.reason for d in session.scalars(select(CertificateDecision))] == [""]
