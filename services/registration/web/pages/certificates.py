"""Pages for certificates and the final test, plain forms that work without
JavaScript. Organisers (login cookie from scheduling): the certificate
rules, where everyone stands, issue or revoke by hand with a reason; the
final test builder (settings, add or remove a question; the right options
marked with `*` at the start of their line) and its results. Participants:
the test behind their secret link. The same use cases as the API."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError, NotFound
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import certificate_rules, certificates, final_tests, organiser
from ...attendance_time import programme_of
from ...links import by_token
from ...models import Listing
from ..certificate_views import final_test_view, standing_view
from ..schemas.certificates import CertificateDecisionIn, CertificateRulesIn, FinalTestIn

bp = html_errors(Blueprint("certificate_pages", __name__, url_prefix="/organiser/events/<slug>"))
self_bp = html_errors(Blueprint("test_pages", __name__))


def _flash_error(exc: Exception) -> None:
    for message in errors_of(exc).values():
        flash(message, "error")


@bp.get("/certificates")
@organiser_required
def standings(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        rules = certificate_rules.rules_view(session, listing)
        rows = [standing_view(s) for s in certificates.standings(session, listing)]
        programme = programme_of(session, listing)
        has_test = final_tests.final_test_of(session, listing) is not None
    return render_template(
        "organiser/certificates.html",
        listing=listing,
        rules=rules,
        rows=rows,
        programme=programme,
        has_test=has_test,
        section="certificates",
    )


@bp.post("/certificate-rules")
@organiser_required
def rules(staff, slug):
    form = request.form
    share = (form.get("min_share_percent") or "").strip()
    try:
        changes = CertificateRulesIn().load(
            {
                "min_share_percent": share or None,
                "mandatory_session_ids": [int(i) for i in form.getlist("mandatory_session_ids") if i.isdigit()],
                "final_test_required": "final_test_required" in form,
            }
        )
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug, for_update=True)
            certificates.change_rules(session, listing, changes, by=staff.account_id)
        flash(translate("Regole salvate: tutti i confermati sono stati valutati di nuovo."))
    except (ValidationError, DomainError) as exc:
        _flash_error(exc)
    return redirect(url_for(".standings", slug=slug), code=303)


@bp.post("/certificates/<registration_id>/decisions")
@organiser_required
def decide(staff, slug, registration_id):
    try:
        body = CertificateDecisionIn().load(
            {"action": request.form.get("action", ""), "reason": request.form.get("reason", "")}
        )
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            registration = organiser.registration_of(session, listing, registration_id, for_update=True)
            certificates.decide(session, registration, listing, **body, by=staff.account_id)
        flash(translate("Attestato emesso.") if body["action"] == "issue" else translate("Attestato revocato."))
    except (ValidationError, DomainError) as exc:
        _flash_error(exc)
    return redirect(url_for(".standings", slug=slug), code=303)


@bp.get("/final-test")
@organiser_required
def test_builder(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        test = final_tests.final_test_of(session, listing)
        view = final_test_view(test) if test else None
        outcome = final_tests.results(session, listing) if test else None
    window = {name: _local_input(view[name] if view else None, listing.timezone) for name in ("opens_at", "closes_at")}
    return render_template(
        "organiser/final_test.html",
        listing=listing,
        test=view,
        results=outcome,
        window=window,
        section="certificates",
    )


def _local_input(moment: dt.datetime | None, timezone: str) -> str:
    """A datetime-local input's value, in the event's time zone."""
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _from_local_input(value: str | None, timezone: str) -> str | None:
    """The input's local time as an ISO date-time with its offset (the schema refuses a naive one)."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=zoneinfo.ZoneInfo(timezone)).isoformat()
    except ValueError:
        return value  # the schema names the field


@bp.post("/final-test")
@organiser_required
def save_test(staff, slug):
    """Settings, a question added, or one removed: the whole test goes to the use case again."""
    form = request.form
    try:
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug, for_update=True)
            test = final_tests.final_test_of(session, listing)
            current = final_test_view(test) if test else {"questions": []}
            questions = [_as_input(q) for q in current["questions"]]
            if form.get("remove", "").isdigit():
                questions = [q for n, q in enumerate(questions) if n != int(form["remove"])]
            elif form.get("question_it", "").strip():
                questions.append(_question_from(form))
            definition = FinalTestIn().load(
                {
                    "title": {"it": form.get("title_it", ""), "en": form.get("title_en") or None},
                    "pass_percent": form.get("pass_percent", ""),
                    "attempts_allowed": form.get("attempts_allowed") or 1,
                    "opens_at": _from_local_input(form.get("opens_at"), listing.timezone),
                    "closes_at": _from_local_input(form.get("closes_at"), listing.timezone),
                    "questions": questions,
                }
            )
            final_tests.define(session, listing, definition)
        flash(translate("Test salvato."))
    except (ValidationError, DomainError) as exc:
        _flash_error(exc)
    return redirect(url_for(".test_builder", slug=slug), code=303)


def _as_input(question: dict) -> dict:
    return {
        "kind": question["kind"],
        "text": question["text"],
        "options": [{"text": o["text"], "correct": o["correct"]} for o in question["options"]],
    }


def _question_from(form) -> dict:
    """One option per line; a leading `*` marks a right one. English lines pair with the Italian ones."""
    italian = [line.strip() for line in form.get("options_it", "").splitlines() if line.strip()]
    english = [line.strip().lstrip("*").strip() for line in form.get("options_en", "").splitlines() if line.strip()]
    options = []
    for n, line in enumerate(italian):
        options.append(
            {
                "text": {"it": line.lstrip("*").strip(), "en": english[n] if n < len(english) else None},
                "correct": line.startswith("*"),
            }
        )
    return {
        "kind": form.get("kind", "single"),
        "text": {"it": form.get("question_it", "").strip(), "en": form.get("question_en", "").strip() or None},
        "options": options,
    }


@self_bp.get("/r/<token>/test")
def take(token):
    with transaction() as session:
        registration = by_token(session, token)
        listing = session.get_one(Listing, registration.event_id)
        paper = final_tests.paper(session, registration, listing)
    if paper is None:
        raise NotFound("this event has no final test", field="token")
    return render_template("final_test.html", listing=listing, paper=paper, token=token)


@self_bp.post("/r/<token>/test")
def submit(token):
    answers = {
        key.removeprefix("q-"): [int(v) for v in request.form.getlist(key) if v.isdigit()]
        for key in request.form
        if key.startswith("q-")
    }
    try:
        with transaction() as session:
            registration = by_token(session, token, for_update=True)
            listing = session.get_one(Listing, registration.event_id)
            attempt, left = final_tests.submit(session, registration, listing, answers)
            score, passed = attempt.score, attempt.passed
        flash(
            translate("Punteggio: %(score)s %%. Test superato.", score=score)
            if passed
            else translate(
                "Punteggio: %(score)s %%. Test non superato (tentativi rimasti: %(left)s).", score=score, left=left
            )
        )
    except DomainError as exc:
        _flash_error(exc)
    return redirect(url_for(".take", token=token), code=303)
