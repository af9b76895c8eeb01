"""Surveys, their results and training records as the API and the pages
show them: plain dicts (the pages add the SVG charts)."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from .. import surveys
from ..models import Listing, Survey
from ..survey_results import SurveyResults
from ..training_records import OrganisationLine, TrainingRecord


def survey_view(session: Session, survey: Survey | None, listing: Listing) -> dict:
    if survey is None:
        return {
            "anonymous": True,
            "opens_at": listing.ends_at,
            "opens_at_set": None,
            "closes_at": None,
            "open_days": 14,
            "reminder_days": 7,
            "locked": False,
            "questions": [],
        }
    return {
        "anonymous": survey.anonymous,
        "opens_at": surveys.opens_at(survey, listing),
        "opens_at_set": survey.opens_at,  # None: it opens when the event ends, even if the end moves
        "closes_at": surveys.closes_at(survey, listing),
        "open_days": survey.open_days,
        "reminder_days": survey.reminder_days,
        "locked": surveys.has_invitations(session, survey),
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "text": {"it": q.text_it, "en": q.text_en},
                "required": q.required,
                "options": [{"key": o["key"], "label": {"it": o["it"], "en": o.get("en")}} for o in q.options],
            }
            for q in surveys.questions_of(session, survey)
        ],
    }


def results_view(found: SurveyResults) -> dict:
    return {
        "anonymous": found.survey.anonymous,
        "invited": found.invited,
        "answered": found.answered,
        "questions": [
            {
                "key": r.question.key,
                "kind": r.question.kind,
                "text": {"it": r.question.text_it, "en": r.question.text_en},
                "answered": r.answered,
                "mean": r.mean,
                "counts": [{"key": k, "label": {"it": it, "en": en}, "count": n} for k, it, en, n in r.counts],
                "texts": r.texts,
            }
            for r in found.questions
        ],
    }


def record_view(record: TrainingRecord) -> dict:
    return {
        "email": record.email,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "entries": [
            {**dataclasses.asdict(entry), "certificate": entry.certificate and dataclasses.asdict(entry.certificate)}
            for entry in record.entries
        ],
        "hours_by_year": [{"year": year, "hours": hours} for year, hours in record.hours_by_year.items()],
        "credits_by_type": record.credits_by_type,
    }


def training_view(organisation_id: str, group: str, lines: list[OrganisationLine]) -> dict:
    return {
        "organisation_id": organisation_id,
        "group": group,
        "lines": [
            {
                "year": line.year,
                "group": line.group,
                "people_trained": len(line.people),
                "hours": line.hours,
                "credits": line.credits,
            }
            for line in lines
        ],
    }
