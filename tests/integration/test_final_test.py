"""The final test on SQLite and PostgreSQL: organisers define questions with
the right options, a pass mark, attempts and a window; a confirmed
participant takes it through the secret link, which never shows the right
answers; the best attempt counts and passing certifies when the rules ask
for it; results per question for organisers; the questions freeze once
someone has answered."""

from __future__ import annotations

import datetime as dt

from tests.integration.registration_support import post_form, programme_session

NOW = dt.datetime.now(dt.timezone.utc)


def definition(**overrides) -> dict:
    return {
        "title": {"it": "Verifica finale", "en": "Final check"},
        "pass_percent": 60,
        "attempts_allowed": 2,
        "questions": [
            {
                "kind": "single",
                "text": {"it": "Chi approva il bilancio?", "en": "Who approves the budget?"},
                "options": [
                    {"text": {"it": "Il consiglio"}, "correct": True},
                    {"text": {"it": "La giunta"}, "correct": False},
                ],
            },
            {
                "kind": "multiple",
                "text": {"it": "Quali sono documenti contabili?"},
                "options": [
                    {"text": {"it": "Rendiconto"}, "correct": True},
                    {"text": {"it": "DUP"}, "correct": True},
                    {"text": {"it": "Albo"}, "correct": False},
                ],
            },
        ],
        **overrides,
    }


def define(desk, **overrides):
    return desk.as_organiser("put", "/final-test", json=definition(**overrides))


def ids(desk) -> tuple[list[int], list[list[int]]]:
    test = desk.as_organiser("get", "/final-test").get_json()
    return [q["id"] for q in test["questions"]], [[o["id"] for o in q["options"]] for q in test["questions"]]


def attempt(desk, token, answers):
    return desk.client.post(f"/api/v1/self/{token}/final-test/attempts", json={"answers": answers})


def test_a_participant_never_sees_the_right_answers_and_the_best_attempt_counts(desk):
    assert define(desk).status_code == 200
    (q1, q2), (o1, o2) = ids(desk)
    token = desk.registered(1)["token"]
    paper = desk.client.get(f"/api/v1/self/{token}/final-test").get_json()
    assert paper["can_take"] and len(paper["questions"]) == 2
    assert "correct" not in str(paper) and "right" not in str(paper)
    page = desk.client.get(f"/r/{token}/test").get_data(as_text=True)
    assert "Chi approva il bilancio?" in page and "giusta" not in page
    good = attempt(desk, token, {str(q1): [o1[0]], str(q2): [o2[0], o2[1]]})
    assert good.status_code == 201 and good.get_json() | {"submitted_at": None} == {
        "number": 1,
        "score": 100.0,
        "passed": True,
        "attempts_left": 1,
        "submitted_at": None,
    }
    worse = attempt(desk, token, {str(q1): [o1[1]]})
    assert (worse.get_json()["score"], worse.get_json()["passed"]) == (0.0, False)
    paper = desk.client.get(f"/api/v1/self/{token}/final-test").get_json()
    assert (paper["best_score"], paper["passed"], paper["can_take"], paper["questions"]) == (100.0, True, False, [])
    refused = attempt(desk, token, {})
    assert refused.status_code == 409 and refused.get_json()["errors"]["json"]["test"]


def test_a_half_right_multiple_choice_is_wrong_and_bad_answers_name_the_question(desk):
    define(desk)
    (q1, q2), (o1, o2) = ids(desk)
    token = desk.registered(1)["token"]
    half = attempt(desk, token, {str(q1): [o1[0]], str(q2): [o2[0]]})
    assert half.get_json()["score"] == 50.0 and not half.get_json()["passed"]
    two_for_single = attempt(desk, token, {str(q1): [o1[0], o1[1]]})
    assert two_for_single.status_code == 422 and f"answers.{q1}" in two_for_single.get_json()["errors"]["json"]
    foreign = attempt(desk, token, {str(q1): [o2[0]]})
    assert foreign.status_code == 422
    assert attempt(desk, token, {"999999": [o1[0]]}).status_code == 422
    assert attempt(desk, token, {str(q1): ["x"]}).status_code == 422
    assert attempt(desk, "not-a-token", {}).status_code == 404


def test_the_definition_is_checked_and_named(desk):
    single_two_right = definition()
    single_two_right["questions"][0]["options"][1]["correct"] = True
    response = desk.as_organiser("put", "/final-test", json=single_two_right)
    assert response.status_code == 422 and "questions.0" in response.get_json()["errors"]["json"]
    later = (NOW + dt.timedelta(days=1)).isoformat()
    backwards = define(desk, opens_at=later, closes_at=NOW.isoformat())
    assert backwards.status_code == 422 and "closes_at" in backwards.get_json()["errors"]["json"]
    assert define(desk, pass_percent=0).status_code == 422
    assert define(desk, questions=[]).status_code == 422
    assert desk.as_organiser("get", "/final-test").status_code == 404
    assert define(desk).status_code == 200
    assert desk.as_organiser("put", "/final-test", json=definition(), role="checkin").status_code == 403


def test_a_closed_window_or_an_unconfirmed_person_cannot_take_it(desk):
    define(desk, opens_at=(NOW + dt.timedelta(days=1)).isoformat())
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3)]  # the third is waitlisted
    paper = desk.client.get(f"/api/v1/self/{tokens[0]}/final-test").get_json()
    assert (paper["open"], paper["can_take"], paper["questions"]) == (False, False, [])
    assert attempt(desk, tokens[0], {}).status_code == 409
    define(desk)
    waitlisted = attempt(desk, tokens[2], {})
    assert waitlisted.status_code == 409 and waitlisted.get_json()["errors"]["json"]["status"]


def test_the_questions_freeze_once_answered_and_a_new_pass_mark_re_marks(desk):
    define(desk)
    (q1, _), (o1, _) = ids(desk)
    token = desk.registered(1)["token"]
    attempt(desk, token, {str(q1): [o1[0]]})  # 50 %
    changed = definition()
    changed["questions"][0]["text"]["it"] = "Chi approva?"
    assert desk.as_organiser("put", "/final-test", json=changed).status_code == 409
    assert define(desk, pass_percent=50, attempts_allowed=3).status_code == 200
    assert desk.client.get(f"/api/v1/self/{token}/final-test").get_json()["passed"] is True


def test_results_per_question_and_option(desk):
    define(desk)
    (q1, q2), (o1, o2) = ids(desk)
    for n, answers in ((1, {str(q1): [o1[0]], str(q2): [o2[0], o2[1]]}), (2, {str(q1): [o1[1]], str(q2): [o2[0]]})):
        attempt(desk, desk.registered(n)["token"], answers)
    results = desk.as_organiser("get", "/final-test/results").get_json()
    assert (results["attempts"], results["participants"], results["passed"]) == (2, 2, 1)
    first, second = results["questions"]
    assert first["share_right"] == 50.0 and [o["chosen"] for o in first["options"]] == [1, 1]
    assert second["share_right"] == 50.0 and [o["chosen"] for o in second["options"]] == [2, 1, 0]


def test_passing_the_test_certifies_when_the_rules_ask_for_it(desk):
    start = desk.starts_at
    desk.release(programme_session(1, start, 60, requires_signup=False, seat_limit=None))
    define(desk)
    rules = desk.as_organiser(
        "patch", "/certificate-rules", json={"min_share_percent": 75, "final_test_required": True}
    )
    assert rules.status_code == 200
    token = desk.registered(1)["token"]
    registration_id = desk.own(token)["id"]
    desk.as_organiser("post", "/checkins", json={"registration_id": registration_id, "session_id": 1})
    assert desk.events("attendance.certified") == []
    (q1, q2), (o1, o2) = ids(desk)
    attempt(desk, token, {str(q1): [o1[1]]})  # failed: still nothing
    assert desk.events("attendance.certified") == []
    attempt(desk, token, {str(q1): [o1[0]], str(q2): [o2[0], o2[1]]})
    ((_, data),) = desk.events("attendance.certified")
    assert (data["final_test_score"], data["hours_total"]) == (100.0, 1.0)


def test_the_organiser_builds_the_test_with_plain_forms_and_the_participant_takes_it_on_the_page(desk):
    desk.client.set_cookie("eventi_organiser", desk.headers()["Authorization"].split()[1])
    page = f"/organiser/events/{desk.event['slug']}/final-test"
    settings = {"title_it": "Verifica", "pass_percent": "100", "attempts_allowed": "1", "opens_at": "", "closes_at": ""}
    question = {
        "kind": "single",
        "question_it": "Due più due?",
        "options_it": "tre\n*quattro",
        "options_en": "three\nfour",
    }
    assert post_form(desk.client, page, {**settings, **question}).status_code == 303
    (q1,), ((wrong, right),) = ids(desk)
    html = desk.client.get(page).get_data(as_text=True)
    assert "Due più due?" in html and "Tentativi: 0" in html
    assert "Final test" in desk.client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    token = desk.registered(1)["token"]
    taken = post_form(desk.client, f"/r/{token}/test", {f"q-{q1}": str(right)}, follow_redirects=True)
    assert "Test superato." in taken.get_data(as_text=True)
    assert desk.client.get(f"/api/v1/self/{token}/final-test").get_json()["best_score"] == 100.0
    results = desk.client.get(page).get_data(as_text=True)
    assert "Tentativi: 1" in results and "Togli la domanda" not in results  # frozen once answered
