"""An event's final test: organisers define it (questions with single or
multiple choice options and the right ones, pass mark, attempts allowed,
opening window); confirmed participants take it through their secret link.

A question is right only when the options chosen are exactly its right
ones; the score is the share of questions right, in percent. The best
attempt counts (a later, worse attempt never takes a pass away), and each
submission re-evaluates the certificate rules. The questions never leave
with their right answers towards a participant: `paper` is what they see.
Once someone has answered, the questions are fixed (results per question
would mix two tests); the title, pass mark, attempts and window may change,
and a changed pass mark re-marks the attempts already made."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, NotFound, Unprocessable

from . import certificates
from .certificate_rules import best_score
from .models import FinalTest, FinalTestAttempt, FinalTestOption, FinalTestQuestion, Listing, Registration


class AttemptRefused(Conflict):
    """The test is not open now, or no attempt is left."""


def final_test_of(session: Session, listing: Listing) -> FinalTest | None:
    return session.scalars(select(FinalTest).where(FinalTest.event_id == listing.id)).first()


def existing_test(session: Session, listing: Listing) -> FinalTest:
    found = final_test_of(session, listing)
    if found is None:
        raise NotFound("this event has no final test", field="slug", location="path")
    return found


def attempts_count(session: Session, test: FinalTest, registration_id: str | None = None) -> int:
    query = select(func.count()).select_from(FinalTestAttempt).where(FinalTestAttempt.test_id == test.id)
    if registration_id is not None:
        query = query.where(FinalTestAttempt.registration_id == registration_id)
    return session.scalar(query) or 0


def define(session: Session, listing: Listing, data: dict, now: dt.datetime | None = None) -> FinalTest:
    """Create or replace the event's final test."""
    _check(data)
    test = final_test_of(session, listing)
    if test is None:
        test = FinalTest(event_id=listing.id)
        session.add(test)
    answered = test.id is not None and attempts_count(session, test) > 0
    if answered and _questions_of(test) != _given_questions(data["questions"]):
        raise Conflict("participants have answered: the questions can no longer change", field="questions")
    pass_before = test.pass_percent
    test.title_it, test.title_en = data["title"]["it"], data["title"].get("en")
    test.pass_percent, test.attempts_allowed = data["pass_percent"], data["attempts_allowed"]
    test.opens_at, test.closes_at = data.get("opens_at"), data.get("closes_at")
    test.updated_at = now or utcnow()
    if not answered:
        test.questions = [_question(position, q) for position, q in enumerate(data["questions"])]
    session.flush()
    if answered and pass_before != test.pass_percent:
        _remark(session, listing, test, now)
    return test


def _check(data: dict) -> None:
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        raise Unprocessable("the test must close after it opens", field="closes_at")
    for number, question in enumerate(data["questions"]):
        right = sum(1 for option in question["options"] if option["correct"])
        if question["kind"] == "single" and right != 1:
            raise Unprocessable("a single choice has exactly one right option", field=f"questions.{number}")
        if question["kind"] == "multiple" and right < 1:
            raise Unprocessable("mark at least one right option", field=f"questions.{number}")


def _question(position: int, data: dict) -> FinalTestQuestion:
    return FinalTestQuestion(
        position=position,
        kind=data["kind"],
        text_it=data["text"]["it"],
        text_en=data["text"].get("en"),
        options=[
            FinalTestOption(position=n, text_it=o["text"]["it"], text_en=o["text"].get("en"), correct=o["correct"])
            for n, o in enumerate(data["options"])
        ],
    )


def _questions_of(test: FinalTest) -> list:
    return [
        (q.kind, q.text_it, q.text_en, [(o.text_it, o.text_en, o.correct) for o in q.options]) for q in test.questions
    ]


def _given_questions(questions: list[dict]) -> list:
    return [
        (
            q["kind"],
            q["text"]["it"],
            q["text"].get("en"),
            [(o["text"]["it"], o["text"].get("en"), o["correct"]) for o in q["options"]],
        )
        for q in questions
    ]


def _remark(session: Session, listing: Listing, test: FinalTest, now: dt.datetime | None) -> None:
    for attempt in session.scalars(select(FinalTestAttempt).where(FinalTestAttempt.test_id == test.id)):
        attempt.passed = attempt.score >= test.pass_percent
    session.flush()
    certificates.evaluate_all(session, listing, now)


def paper(
    session: Session, registration: Registration, listing: Listing, now: dt.datetime | None = None
) -> dict | None:
    """What the participant sees: the test without its right answers, their attempts and best score."""
    test = final_test_of(session, listing)
    if test is None:
        return None
    now = now or utcnow()
    used = attempts_count(session, test, registration.id)
    score, passed = best_score(session, listing, registration)
    can_take = registration.status == "confirmed" and test.is_open(now) and used < test.attempts_allowed
    return {
        "title": {"it": test.title_it, "en": test.title_en},
        "pass_percent": test.pass_percent,
        "attempts_allowed": test.attempts_allowed,
        "attempts_used": used,
        "opens_at": test.opens_at,
        "closes_at": test.closes_at,
        "open": test.is_open(now),
        "can_take": can_take,
        "best_score": score,
        "passed": passed,
        "questions": [
            {
                "id": q.id,
                "kind": q.kind,
                "text": {"it": q.text_it, "en": q.text_en},
                "options": [{"id": o.id, "text": {"it": o.text_it, "en": o.text_en}} for o in q.options],
            }
            for q in test.questions
        ]
        if can_take
        else [],
    }


def submit(
    session: Session, registration: Registration, listing: Listing, answers: dict, now: dt.datetime | None = None
) -> tuple[FinalTestAttempt, int]:
    """Mark one attempt (`answers`: question id -> option ids chosen; a question left out is wrong):
    the attempt and the attempts left."""
    now = now or utcnow()
    test = existing_test(session, listing)
    if registration.status != "confirmed":
        raise Conflict(f"a {registration.status} registration cannot take the test", field="status")
    if not test.is_open(now):
        raise AttemptRefused("the test is not open now", field="test")
    used = attempts_count(session, test, registration.id)
    if used >= test.attempts_allowed:
        raise AttemptRefused("no attempts left", field="test")
    chosen = _chosen(test, answers)
    right = sum(1 for q in test.questions if chosen.get(q.id, set()) == q.right_ids())
    score = round(100 * right / len(test.questions), 1) if test.questions else 0.0
    attempt = FinalTestAttempt(
        test_id=test.id,
        registration_id=registration.id,
        number=used + 1,
        answers={str(q): sorted(ids) for q, ids in chosen.items()},
        score=score,
        passed=score >= test.pass_percent,
        submitted_at=now,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:  # the same attempt submitted twice at once
        raise AttemptRefused("this attempt was already submitted", field="test") from None
    certificates.evaluate(session, registration, listing, now)
    return attempt, test.attempts_allowed - attempt.number


def _chosen(test: FinalTest, answers: dict) -> dict[int, set[int]]:
    questions = {q.id: q for q in test.questions}
    chosen: dict[int, set[int]] = {}
    for key, option_ids in answers.items():
        question = questions.get(int(key)) if str(key).isdigit() else None
        if question is None:
            raise Unprocessable(f"not a question of this test: {key}", field=f"answers.{key}")
        ids = set(option_ids)
        if not ids <= {o.id for o in question.options}:
            raise Unprocessable("not an option of this question", field=f"answers.{key}")
        if question.kind == "single" and len(ids) > 1:
            raise Unprocessable("choose one option", field=f"answers.{key}")
        chosen[question.id] = ids
    return chosen


def results(session: Session, listing: Listing) -> dict:
    """Per question the share of attempts that got it right and how often each option was chosen."""
    test = existing_test(session, listing)
    attempts = list(session.scalars(select(FinalTestAttempt).where(FinalTestAttempt.test_id == test.id)))
    people = {a.registration_id for a in attempts}
    passed = {a.registration_id for a in attempts if a.passed}
    questions = []
    for q in test.questions:
        picks = [set(a.answers.get(str(q.id), [])) for a in attempts]
        right = sum(1 for p in picks if p == q.right_ids())
        questions.append(
            {
                "id": q.id,
                "kind": q.kind,
                "text": {"it": q.text_it, "en": q.text_en},
                "share_right": round(100 * right / len(attempts), 1) if attempts else None,
                "options": [
                    {
                        "id": o.id,
                        "text": {"it": o.text_it, "en": o.text_en},
                        "correct": o.correct,
                        "chosen": sum(1 for p in picks if o.id in p),
                    }
                    for o in q.options
                ],
            }
        )
    return {"attempts": len(attempts), "participants": len(people), "passed": len(passed), "questions": questions}
