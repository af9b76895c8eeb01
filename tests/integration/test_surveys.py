"""Satisfaction surveys on SQLite and PostgreSQL: organisers define the
questions; after the event every confirmed participant (every one who
attended, when attendance is tracked) is invited once and reminded once;
one answer per registration through the secret link; anonymous answers
lead back to no registration; results as counts, means, SVG bars with a
table, and a CSV that never runs a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

import sqlalchemy as sa
from sqlalchemy import select

from services.registration import surveys
from services.registration.models import Listing, SurveyInvitation, SurveyResponse
from tests.integration.registration_support import SLUG, email, post_form

DAY = dt.timedelta(days=1)
OPENS = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(hours=1)
QUESTIONS = [
    {"key": "overall", "kind": "likert", "text": {"it": "Giudizio complessivo", "en": "Overall"}, "required": True},
    {
        "key": "format",
        "kind": "single",
        "text": {"it": "Formato preferito", "en": "Preferred format"},
        "options": [
            {"key": "room", "label": {"it": "In aula", "en": "In the room"}},
            {"key": "online", "label": {"it": "Online", "en": "Online"}},
        ],
    },
    {
        "key": "topics",
        "kind": "multiple",
        "text": {"it": "Argomenti utili"},
        "options": [
            {"key": "law", "label": {"it": "Norme"}},
            {"key": "cases", "label": {"it": "Casi pratici"}},
            {"key": "tools", "label": {"it": "Strumenti"}},
        ],
    },
    {"key": "notes", "kind": "text", "text": {"it": "Suggerimenti", "en": "Suggestions"}},
]


def define(desk, **settings):
    """The survey, open since an hour ago (the event itself is a month ahead)."""
    body = {"anonymous": True, "opens_at": OPENS.isoformat(), "open_days": 14, "reminder_days": 7}
    return desk.as_organiser("put", "/survey", json={**body, "questions": QUESTIONS, **settings})


def run_job(desk, at: dt.datetime) -> int:
    with desk.factory() as session, session.begin():
        return surveys.send_due(session, base_url="https://eventi.example", secret_key="k", now=at)


def ends_at(desk) -> dt.datetime:
    """When the survey opens (named after the default: the event's end)."""
    return OPENS


def invitations(desk, since=0):
    return [data for _, data in desk.events("survey.invited", since=since)]


def token_of(invitation: dict) -> str:
    return invitation["survey_url"].rsplit("/", 1)[1]


def answer(desk, token: str, **answers):
    form = {f"q.{key}": value for key, value in answers.items()}
    return post_form(
        desk.client, f"/s/{token}", form, page="/record"
    )  # a page with a form, whatever the survey's state


def invited_and_tokens(desk, n=2) -> dict[str, str]:
    for i in range(1, n + 1):
        desk.registered(i)
    assert define(desk).status_code == 200
    run_job(desk, ends_at(desk) + dt.timedelta(hours=1))
    return {i["participant"]["email"]: token_of(i) for i in invitations(desk)}


def test_confirmed_people_are_invited_once_after_the_event_and_reminded_once(desk):
    for n in (1, 2, 3):  # capacity 2: the third waits and is not asked
        desk.registered(n)
    assert define(desk).status_code == 200
    end = ends_at(desk)
    assert run_job(desk, end - dt.timedelta(minutes=1)) == 0
    assert run_job(desk, end + dt.timedelta(hours=1)) == 2
    first = invitations(desk)
    assert sorted(i["participant"]["email"] for i in first) == [email(1), email(2)]
    assert {i["reminder"] for i in first} == {False}
    assert dt.datetime.fromisoformat(first[0]["closes_at"]) == end + 14 * DAY
    assert run_job(desk, end + 2 * DAY) == 0  # invited once
    mark = desk.mark()
    assert answer(desk, token_of(first[0]), overall="4").status_code == 200
    assert run_job(desk, end + 8 * DAY) == 1  # the one who did not answer
    (reminder,) = invitations(desk, since=mark)
    answered = first[0]["participant"]["email"]
    assert reminder["reminder"] is True and reminder["participant"]["email"] != answered
    same_person = next(i for i in first if i["registration_id"] == reminder["registration_id"])
    assert reminder["survey_url"] == same_person["survey_url"]  # the same link works
    assert run_job(desk, end + 9 * DAY) == 0  # one reminder only


def test_when_attendance_is_tracked_only_those_who_attended_are_invited(desk):
    present = desk.own(desk.registered(1)["token"])["id"]
    desk.registered(2)
    day = desk.starts_at.date().isoformat()
    assert (
        desk.as_organiser(
            "post", "/checkins", role="checkin", json={"registration_id": present, "day": day}
        ).status_code
        == 201
    )
    define(desk)
    assert run_job(desk, ends_at(desk) + dt.timedelta(hours=1)) == 1
    assert [i["registration_id"] for i in invitations(desk)] == [present]


def test_without_questions_before_opening_or_after_closing_nobody_is_invited(desk):
    desk.registered(1)
    assert define(desk, questions=[]).status_code == 200
    assert run_job(desk, OPENS + dt.timedelta(hours=1)) == 0
    define(desk, opens_at=None)  # then it opens when the event ends, a month ahead
    assert run_job(desk, OPENS + dt.timedelta(hours=1)) == 0
    with desk.factory() as session:
        event_end = session.get_one(Listing, desk.event["event_id"]).ends_at
    assert run_job(desk, event_end + 15 * DAY) == 0  # closed after 14 days
    assert run_job(desk, event_end + dt.timedelta(minutes=1)) == 1


def test_an_anonymous_answer_keeps_nothing_that_leads_back_to_the_registration(desk):
    tokens = invited_and_tokens(desk)
    response = answer(desk, tokens[email(1)], overall="5", format="online", topics=["law", "tools"], notes="Ottimo")
    assert response.status_code == 200 and "Grazie" in response.get_data(as_text=True)
    with desk.factory() as session:
        (stored,) = session.scalars(select(SurveyResponse)).all()
        assert stored.registration_id is None and stored.submitted_at is None
        assert stored.answers == {"overall": 5, "format": "online", "topics": ["law", "tools"], "notes": "Ottimo"}
        flags = dict(session.execute(select(SurveyInvitation.registration_id, SurveyInvitation.answered)).all())
        assert sorted(flags.values()) == [False, True]  # only whether someone answered
        engine = session.get_bind()
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        columns = {c["name"] for c in inspector.get_columns("survey_responses")}
        keys = inspector.get_foreign_keys("survey_responses")
    assert columns == {"id", "survey_id", "registration_id", "submitted_at", "answers"} and keys == []
    again = answer(desk, tokens[email(1)], overall="1")
    assert again.status_code == 409  # one answer per registration
    with desk.factory() as session:
        assert len(session.scalars(select(SurveyResponse)).all()) == 1


def test_a_named_survey_ties_the_answer_to_the_registration_and_its_csv_names_it(desk):
    for n in (1, 2):
        desk.registered(n)
    define(desk, anonymous=False)
    run_job(desk, ends_at(desk) + dt.timedelta(hours=1))
    first = invitations(desk)[0]
    assert answer(desk, token_of(first), overall="3", notes='=HYPERLINK("http://x")').status_code == 200
    with desk.factory() as session:
        (stored,) = session.scalars(select(SurveyResponse)).all()
    assert stored.registration_id == first["registration_id"] and stored.submitted_at is not None
    desk.client.set_cookie("eventi_organiser", desk.headers()["Authorization"].split(" ", 1)[1])
    body = desk.client.get(f"/organiser/events/{SLUG}/survey/results.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["registration_id", "first_name", "last_name"]
    assert rows[1][0] == first["registration_id"] and rows[1][1] == first["participant"]["first_name"]
    assert rows[1][-1] == '\'=HYPERLINK("http://x")'  # never a formula


def test_an_answer_that_does_not_fit_is_a_422_naming_the_question_and_nothing_is_kept(desk):
    token = invited_and_tokens(desk, n=1)[email(1)]
    missing = answer(desk, token, notes="ciao")
    assert missing.status_code == 422 and 'id="q-overall-error"' in missing.get_data(as_text=True)
    for bad in ({"overall": "7"}, {"overall": "3", "format": "nowhere"}, {"overall": "x"}):
        assert answer(desk, token, **bad).status_code == 422
    with desk.factory() as session:
        assert session.scalars(select(SurveyResponse)).all() == []
        assert session.scalar(select(SurveyInvitation.answered)) is False


def test_an_unknown_link_is_a_404_and_a_closed_survey_takes_no_answer(desk):
    assert desk.client.get("/s/not-a-token").status_code == 404
    token = invited_and_tokens(desk, n=1)[email(1)]
    page = desk.client.get(f"/s/{token}")
    assert page.status_code == 200 and 'name="q.overall"' in page.get_data(as_text=True)
    with desk.factory() as session, session.begin():
        listing = session.get_one(Listing, desk.event["event_id"])
        survey = surveys.survey_of(session, listing)
        assert survey is not None
        survey.opens_at = OPENS - 30 * DAY  # closed 16 days ago
    closed = answer(desk, token, overall="4")
    assert closed.status_code == 409 and "non è aperto" in closed.get_data(as_text=True)


def test_after_the_invitations_the_questions_and_the_mode_stay_and_bad_definitions_name_the_field(desk):
    choice_without_options = [{"key": "a", "kind": "single", "text": {"it": "Domanda"}}]
    bad = desk.as_organiser("put", "/survey", json={"questions": choice_without_options})
    assert bad.status_code == 422 and "questions.0.options" in bad.get_json()["errors"]["json"]
    wrong_kind = desk.as_organiser(
        "put", "/survey", json={"questions": [{"key": "a", "kind": "stars", "text": {"it": "x"}}]}
    )
    assert wrong_kind.status_code == 422 and wrong_kind.get_json()["errors"]["json"]["questions"]
    assert desk.as_organiser("put", "/survey", json={"open_days": 0}).status_code == 422
    invited_and_tokens(desk, n=1)
    assert desk.as_organiser("put", "/survey", json={"questions": QUESTIONS[:1]}).status_code == 409
    assert desk.as_organiser("put", "/survey", json={"anonymous": False}).status_code == 409
    assert desk.as_organiser("put", "/survey", json={"reminder_days": 3}).status_code == 200
    assert desk.as_organiser("get", "/survey").get_json()["locked"] is True
    other = desk.client.put(f"/api/v1/organiser/events/{SLUG}/survey", json={}, headers=desk.headers(organisation="x"))
    assert other.status_code == 404


def test_results_count_each_option_with_the_likert_mean_as_svg_bars_and_a_table(desk):
    tokens = invited_and_tokens(desk)
    answer(desk, tokens[email(1)], overall="5", format="online", topics=["law", "cases"], notes="<b>bene</b>")
    answer(desk, tokens[email(2)], overall="2", format="online", topics=["cases"])
    results = desk.as_organiser("get", "/survey/results").get_json()
    assert (results["invited"], results["answered"]) == (2, 2)
    by_key = {q["key"]: q for q in results["questions"]}
    assert by_key["overall"]["mean"] == 3.5
    assert [c["count"] for c in by_key["overall"]["counts"]] == [0, 1, 0, 0, 1]
    assert {c["key"]: c["count"] for c in by_key["format"]["counts"]} == {"room": 0, "online": 2}
    assert {c["key"]: c["count"] for c in by_key["topics"]["counts"]} == {"law": 1, "cases": 2, "tools": 0}
    assert by_key["notes"]["texts"] == ["<b>bene</b>"]
    desk.client.set_cookie("eventi_organiser", desk.headers()["Authorization"].split(" ", 1)[1])
    page = desk.client.get(f"/organiser/events/{SLUG}/survey/results").get_data(as_text=True)
    assert page.count("<svg") == 3 and '<th scope="row">Casi pratici</th><td>2</td>' in page
    assert "&lt;b&gt;bene&lt;/b&gt;" in page and "<b>bene</b>" not in page
    desk.client.set_cookie("lang", "en")
    english = desk.client.get(f"/organiser/events/{SLUG}/survey/results").get_data(as_text=True)
    assert "In the room" in english and "Survey results" in english


def test_erasure_kills_the_link_and_drops_named_answers_but_anonymous_ones_were_never_tied(desk):
    from services.registration.models import Registration

    tokens = invited_and_tokens(desk)
    answer(desk, tokens[email(1)], overall="4")
    with desk.factory() as session, session.begin():
        for address in (email(1), email(2)):
            registration = session.scalars(select(Registration).where(Registration.email == address)).one()
            surveys.forget(session, registration)
    assert desk.client.get(f"/s/{tokens[email(2)]}").status_code == 404
    with desk.factory() as session:
        assert len(session.scalars(select(SurveyResponse)).all()) == 1  # anonymous: nothing to find it by


def test_erasure_drops_the_answers_of_a_named_survey(desk):
    from services.registration.models import Registration

    desk.registered(1)
    define(desk, anonymous=False)
    run_job(desk, OPENS + dt.timedelta(hours=1))
    answer(desk, token_of(invitations(desk)[0]), overall="2", notes="Sono Anna, dell'ufficio tributi")
    with desk.factory() as session, session.begin():
        surveys.forget(session, session.scalars(select(Registration)).one())
    with desk.factory() as session:
        assert session.scalars(select(SurveyResponse)).all() == []


def test_two_jobs_at_once_invite_each_person_once(desk):
    import threading

    for n in (1, 2):
        desk.registered(n)
    define(desk)
    start, errors = threading.Barrier(2), []

    def job():
        start.wait()
        try:
            run_job(desk, OPENS + dt.timedelta(hours=1))
        except Exception as exc:  # the loser's insert meets the winner's invitation and rolls back
            errors.append(exc)

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(i["participant"]["email"] for i in invitations(desk)) == [email(1), email(2)]
    assert len(errors) <= 1


def test_organisers_build_the_survey_with_plain_forms(desk):
    desk.client.set_cookie("eventi_organiser", desk.headers()["Authorization"].split(" ", 1)[1])
    page = f"/organiser/events/{SLUG}/survey"
    assert desk.client.get(page).status_code == 200
    added = post_form(
        desk.client,
        f"{page}/questions",
        {
            "key": "format",
            "kind": "single",
            "text_it": "Formato",
            "text_en": "Format",
            "options": "Aula | Room\nOnline",
        },
        page=page,
        follow_redirects=True,
    )
    assert added.status_code == 200 and "Domanda aggiunta." in added.get_data(as_text=True)
    refused = post_form(
        desk.client,
        f"{page}/questions",
        {"key": "x", "kind": "single", "text_it": "Solo una", "options": "Una"},
        page=page,
        follow_redirects=True,
    )
    assert "almeno due opzioni" in refused.get_data(as_text=True)
    post_form(desk.client, f"{page}/questions", {"key": "notes", "kind": "text", "text_it": "Note"}, page=page)
    saved = post_form(
        desk.client, f"{page}/settings", {"open_days": "10", "reminder_days": "3"}, page=page, follow_redirects=True
    )
    assert "Impostazioni del questionario salvate." in saved.get_data(as_text=True)
    survey = desk.as_organiser("get", "/survey").get_json()
    assert [q["key"] for q in survey["questions"]] == ["format", "notes"] and survey["anonymous"] is False
    assert survey["questions"][0]["options"][0] == {"key": "o1", "label": {"it": "Aula", "en": "Room"}}
    assert (survey["open_days"], survey["reminder_days"]) == (10, 3)
    bad_days = post_form(
        desk.client, f"{page}/settings", {"open_days": "0", "reminder_days": "3"}, page=page, follow_redirects=True
    )
    assert "da 1 a 365" in bad_days.get_data(as_text=True)
    post_form(desk.client, f"{page}/questions/notes/delete", {}, page=page)
    assert [q["key"] for q in desk.as_organiser("get", "/survey").get_json()["questions"]] == ["format"]
