"""A survey's results for its organisers: per question the count of each
option (Likert: each value 1-5 and the mean), the free texts, and how many
were invited and answered; as bars drawn in SVG on the server (the page
also prints the numbers as a table, for screen readers and for printing)
and as CSV. In an anonymous survey the CSV has one row per answer set and
no name; otherwise it names the registration."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .exports import to_csv
from .models import LIKERT, Registration, Survey, SurveyInvitation, SurveyQuestion, SurveyResponse
from .surveys import questions_of

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, CHART_WIDTH = 22, 8, 220, 560


@dataclass
class QuestionResult:
    question: SurveyQuestion
    counts: list[tuple[str, str, str | None, int]] = field(default_factory=list)  # (key, label it, en, count)
    answered: int = 0
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    invited: int
    answered: int
    questions: list[QuestionResult]


def responses_of(session: Session, survey: Survey) -> list[SurveyResponse]:
    # Ordered by the random id: no order of arrival shows, even to organisers.
    return list(
        session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id).order_by(SurveyResponse.id))
    )


def results(session: Session, survey: Survey) -> SurveyResults:
    responses = responses_of(session, survey)
    invited = session.scalar(select(func.count()).where(SurveyInvitation.survey_id == survey.id)) or 0
    tallies = [tally(question, [r.answers for r in responses]) for question in questions_of(session, survey)]
    return SurveyResults(survey=survey, invited=invited, answered=len(responses), questions=tallies)


def tally(question: SurveyQuestion, answer_sets: list[dict]) -> QuestionResult:
    result = QuestionResult(question=question)
    values = [answers[question.key] for answers in answer_sets if question.key in answers]
    result.answered = len(values)
    if question.kind == "likert":
        result.counts = [(str(n), str(n), None, sum(1 for v in values if v == n)) for n in LIKERT]
        result.mean = round(sum(values) / len(values), 2) if values else None
    elif question.kind in ("single", "multiple"):
        flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
        result.counts = [(o["key"], o["it"], o.get("en"), flat.count(o["key"])) for o in question.options]
    else:
        result.texts = sorted(str(v) for v in values)  # sorted, so their order says nothing either
    return result


def bar_chart(counts: list[tuple[str, int]], *, title: str) -> str:
    """Horizontal bars, one per (label, count), as an inline SVG image whose
    text is escaped. Decorative for assistive technology: the table beside it
    carries the same numbers."""
    top = max((count for _, count in counts), default=0) or 1
    height = len(counts) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    room = CHART_WIDTH - LABEL_WIDTH - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(title)}">'
    ]
    for index, (label, count) in enumerate(counts):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = round(room * count / top)
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="13">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="#06c"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 15}" font-size="13">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def csv_table(session: Session, survey: Survey) -> str:
    """One row per answer set, one column per question (choices by their Italian label)."""
    questions = questions_of(session, survey)
    names: dict[str, Registration] = {}
    if not survey.anonymous:
        ids = [r.registration_id for r in responses_of(session, survey) if r.registration_id]
        names = {r.id: r for r in session.scalars(select(Registration).where(Registration.id.in_(ids)))}
    header = (
        [] if survey.anonymous else ["registration_id", "first_name", "last_name", "organisation", "submitted_at"]
    ) + [f"{q.text_it} ({q.key})" for q in questions]
    rows = []
    for response in responses_of(session, survey):
        row: list = []
        if not survey.anonymous:
            person = names.get(response.registration_id or "")
            row = [
                response.registration_id,
                person.first_name if person and not person.erased_at else "",
                person.last_name if person and not person.erased_at else "",
                person.organisation if person and not person.erased_at else "",
                response.submitted_at.isoformat() if response.submitted_at else "",
            ]
        rows.append(row + [_cell(q, response.answers.get(q.key)) for q in questions])
    return to_csv(header, rows)


def _cell(question: SurveyQuestion, value) -> str | int:
    labels = {o["key"]: o["it"] for o in question.options}
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, int):
        return value
    return labels.get(value, value)
