"""Survey pages: the participant's survey behind the invitation's secret link
(one answer), and the organisers' pages to build the survey with plain forms
(settings; add, remove questions) and to read the results as bar charts
with the same numbers in tables, and as CSV."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.form_errors import field_errors, localize_error
from shared.web.i18n import localized, translate
from shared.web.pages import html_errors

from ... import organiser, survey_results, surveys
from ...forms import FormInvalid
from ...models import LIKERT
from ..presenters import attachment
from ..schemas.surveys import SurveyQuestionIn
from ..survey_views import survey_view

self_bp = html_errors(Blueprint("survey_pages", __name__))
organiser_bp = html_errors(Blueprint("survey_organiser_pages", __name__, url_prefix="/organiser/events/<slug>/survey"))
# The use cases' messages on these pages, in Italian (shared/messages translates them back).
ORGANISER_MESSAGES = {
    "the invitations went out: the questions can no longer change": (
        "Gli inviti sono partiti: le domande non si possono più cambiare."
    ),
    "the invitations went out: the anonymous mode can no longer change": (
        "Gli inviti sono partiti: l'anonimato non si può più cambiare."
    ),
    "a choice needs at least two options": "Una domanda a scelta ha bisogno di almeno due opzioni (una per riga).",
    "only single and multiple choice questions have options": "Solo le domande a scelta hanno opzioni.",
    "another question has this key": "Un'altra domanda ha già questo codice.",
    "a whole number of days, from 1 to 365": "Un numero intero di giorni, da 1 a 365.",
    "not a valid date and time": "Data e ora non valide.",
    "this event has no survey": "Questo evento non ha un questionario.",
}


# --- participants -----------------------------------------------------------------------


@self_bp.route("/s/<token>", methods=["GET", "POST"])
def answer(token):
    errors: dict[str, str] = {}
    status, done = 200, False
    if request.method == "POST":
        try:
            with transaction() as session:
                _, questions_before, *_ = _page(session, token)
                surveys.answer(session, token, _posted(questions_before))
            done = True
        except FormInvalid as exc:
            errors, status = field_errors(exc.errors), exc.status
        except (surveys.SurveyClosed, surveys.AlreadyAnswered) as exc:
            errors, status = {"form": localize_error(exc.message)}, exc.status
    with transaction() as session:
        invitation, questions, survey, listing = _page(session, token)
        view = {
            "answered": invitation.answered,
            "open": surveys.is_open(survey, listing, dt.datetime.now(dt.timezone.utc)),
            "closes_at": surveys.closes_at(survey, listing),
            "anonymous": survey.anonymous,
        }
    return render_template(
        "survey.html",
        listing=listing,
        questions=questions,
        survey=view,
        done=done,
        errors=errors,
        form=request.form,
        likert=LIKERT,
    ), status


def _page(session, token):
    invitation, survey, listing, questions = surveys.open_survey(session, token)
    return invitation, questions, survey, listing


def _posted(questions) -> dict:
    return {
        q.key: request.form.getlist(f"q.{q.key}") if q.kind == "multiple" else request.form.get(f"q.{q.key}")
        for q in questions
    }


# --- organisers -------------------------------------------------------------------------


@organiser_bp.get("")
@organiser_required
def edit(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        view = survey_view(session, surveys.survey_of(session, listing), listing)
    return render_template("organiser/survey.html", listing=listing, survey=view, section="survey")


@organiser_bp.post("/settings")
@organiser_required
def settings(staff, slug):
    form = request.form
    try:
        values: dict[str, object] = {
            "anonymous": form.get("anonymous") == "on",
            "open_days": _days(form.get("open_days"), "open_days"),
            "reminder_days": _days(form.get("reminder_days"), "reminder_days"),
        }
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            values["opens_at"] = _moment(form.get("opens_at"), listing.timezone)
            surveys.define(session, listing, values, None)
        flash(translate("Impostazioni del questionario salvate."))
    except FormInvalid as exc:
        for message in exc.errors.values():
            flash(_say(message), "error")
    except DomainError as exc:
        flash(_say(exc.message), "error")
    return redirect(url_for(".edit", slug=slug), code=303)


@organiser_bp.post("/questions")
@organiser_required
def add_question(staff, slug):
    form = request.form
    try:
        question = _question_of(form)
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            view = survey_view(session, surveys.survey_of(session, listing), listing)
            existing = [_as_input(q) for q in view["questions"]]
            if any(q["key"] == question["key"] for q in existing):
                raise FormInvalid({"key": "another question has this key"})
            settings = {} if view["questions"] or surveys.survey_of(session, listing) else {"anonymous": True}
            surveys.define(session, listing, settings, [*existing, question])
        flash(translate("Domanda aggiunta."))
    except FormInvalid as exc:
        for message in exc.errors.values():
            flash(_say(message), "error")
    except DomainError as exc:
        flash(_say(exc.message), "error")
    return redirect(url_for(".edit", slug=slug), code=303)


@organiser_bp.post("/questions/<key>/delete")
@organiser_required
def delete_question(staff, slug, key):
    try:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            view = survey_view(session, surveys.survey_of(session, listing), listing)
            kept = [_as_input(q) for q in view["questions"] if q["key"] != key]
            surveys.define(session, listing, {}, kept)
        flash(translate("Domanda tolta."))
    except DomainError as exc:
        flash(_say(exc.message), "error")
    return redirect(url_for(".edit", slug=slug), code=303)


@organiser_bp.get("/results")
@organiser_required
def results(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        found = survey_results.results(session, surveys.required_survey(session, listing))
    charts = {
        r.question.key: Markup(  # noqa: S704 (survey_results.bar_chart escapes every text it draws)
            survey_results.bar_chart(
                [(localized(None, it=it, en=en), n) for _, it, en, n in r.counts],
                title=localized(None, it=r.question.text_it, en=r.question.text_en),
            )
        )
        for r in found.questions
        if r.counts
    }
    return render_template(
        "organiser/survey_results.html", listing=listing, found=found, charts=charts, section="survey"
    )


@organiser_bp.get("/results.csv")
@organiser_required
def results_csv(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        body = survey_results.csv_table(session, surveys.required_survey(session, listing))
    return Response(body, mimetype="text/csv", headers=attachment(f"{slug}-questionario.csv"))


def _as_input(question: dict) -> dict:
    return {k: question[k] for k in ("key", "kind", "text", "required", "options")}


def _question_of(form) -> dict:
    """A question from the form: options one per line, "italiano | English"."""
    lines = [line.strip() for line in (form.get("options") or "").splitlines() if line.strip()]
    options = []
    for number, line in enumerate(lines, start=1):
        italian, _, english = (part.strip() for part in line.partition("|"))
        options.append({"key": f"o{number}", "label": {"it": italian, "en": english or None}})
    data = {
        "key": (form.get("key") or "").strip(),
        "kind": form.get("kind") or "",
        "text": {"it": (form.get("text_it") or "").strip(), "en": (form.get("text_en") or "").strip() or None},
        "required": form.get("required") == "on",
        "options": options,
    }
    try:
        return SurveyQuestionIn().load(data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"form": exc.messages}
        raise FormInvalid({key: str(value) for key, value in _flat(messages).items()}) from None


def _flat(messages: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in messages.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value[0] if isinstance(value, list) else value
    return flat


def _moment(value: str | None, timezone: str) -> dt.datetime | None:
    """The form's date and time, local to the event's zone."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FormInvalid({"opens_at": "not a valid date and time"}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zoneinfo.ZoneInfo(timezone))


def _days(value: str | None, name: str) -> int:
    try:
        days = int(value or "")
    except ValueError:
        raise FormInvalid({name: "a whole number of days, from 1 to 365"}) from None
    if not 1 <= days <= 365:
        raise FormInvalid({name: "a whole number of days, from 1 to 365"})
    return days


def _say(message: str) -> str:
    italian = ORGANISER_MESSAGES.get(message)
    return translate(italian) if italian else localize_error(message)
