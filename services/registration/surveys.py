"""Satisfaction surveys: the organiser defines one per event (questions on a
Likert scale 1-5, single or multiple choice, free text; anonymous or not),
it opens when the event ends (or at a set time) and closes `open_days`
later. A periodic job invites every confirmed participant once (only those
who attended, when the event tracks attendance) and reminds, once, those who
have not answered `reminder_days` after their invitation; each invitation is
a `survey.invited` for notifications to mail. A participant answers once,
through the secret link of the invitation.

Anonymous surveys keep the answers apart from the people: the invitation
keeps only the flag "answered", the answers row has a random id, no
registration id, no foreign key and no time (see models/survey.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from typing import cast

from sqlalchemy import CursorResult, exists, select, update
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict, NotFound
from shared.messaging import add_event

from .forms import FormInvalid
from .links import MAX_TOKEN_LENGTH, new_token, token_hash
from .models import (
    LIKERT,
    CheckIn,
    Listing,
    OnlinePresence,
    Registration,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from .publishing import event_summary, participant_of

MAX_TEXT_ANSWER = 4000


class SurveyClosed(Conflict):
    """The survey is not open for answers (not yet, or any more)."""


class AlreadyAnswered(Conflict):
    """This invitation was answered already: one answer per registration."""


# --- the organiser's definition -----------------------------------------------------


def survey_of(session: Session, listing: Listing) -> Survey | None:
    return session.scalar(select(Survey).where(Survey.event_id == listing.id))


def questions_of(session: Session, survey: Survey) -> list[SurveyQuestion]:
    return list(
        session.scalars(
            select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id).order_by(SurveyQuestion.position)
        )
    )


def has_invitations(session: Session, survey: Survey) -> bool:
    return bool(session.scalar(select(exists().where(SurveyInvitation.survey_id == survey.id))))


def define(session: Session, listing: Listing, settings: dict, questions: Sequence[dict] | None) -> Survey:
    """Create or change the event's survey. `settings`: anonymous, opens_at,
    open_days, reminder_days; `questions` (None: unchanged) replace the old
    ones. Once invitations went out the questions and the anonymous mode stay
    as they were (answers already given were given to them)."""
    survey = survey_of(session, listing)
    if survey is None:
        survey = Survey(event_id=listing.id, anonymous=True, open_days=14, reminder_days=7)
        session.add(survey)
        session.flush()
    locked = has_invitations(session, survey)
    if locked and questions is not None:
        raise Conflict("the invitations went out: the questions can no longer change", field="questions")
    if locked and "anonymous" in settings and settings["anonymous"] != survey.anonymous:
        raise Conflict("the invitations went out: the anonymous mode can no longer change", field="anonymous")
    for name in ("anonymous", "opens_at", "open_days", "reminder_days"):
        if name in settings:
            setattr(survey, name, settings[name])
    if questions is not None:
        for old in questions_of(session, survey):
            session.delete(old)
        session.flush()
        for position, question in enumerate(questions):
            session.add(_question(survey, position, question))
    survey.updated_at = utcnow()
    session.flush()
    return survey


def _question(survey: Survey, position: int, question: dict) -> SurveyQuestion:
    kind = question["kind"]
    options = [
        {"key": o["key"], "it": o["label"]["it"], "en": o["label"].get("en")} for o in question.get("options") or []
    ]
    if kind in ("single", "multiple") and len(options) < 2:
        raise FormInvalid({f"questions.{position}.options": "a choice needs at least two options"})
    if kind not in ("single", "multiple") and options:
        raise FormInvalid({f"questions.{position}.options": "only single and multiple choice questions have options"})
    if len({o["key"] for o in options}) != len(options):
        raise FormInvalid({f"questions.{position}.options": "two options have the same key"})
    return SurveyQuestion(
        survey_id=survey.id,
        position=position,
        key=question["key"],
        kind=kind,
        text_it=question["text"]["it"],
        text_en=question["text"].get("en"),
        options=options,
        required=bool(question.get("required")),
    )


def opens_at(survey: Survey, listing: Listing) -> dt.datetime:
    return survey.opens_at or listing.ends_at


def closes_at(survey: Survey, listing: Listing) -> dt.datetime:
    return opens_at(survey, listing) + dt.timedelta(days=survey.open_days)


def is_open(survey: Survey, listing: Listing, now: dt.datetime) -> bool:
    return opens_at(survey, listing) <= now < closes_at(survey, listing) and listing.status != "cancelled"


# --- the links --------------------------------------------------------------------------


def survey_token(secret_key: str, registration_id: str) -> str:
    """The invitation's secret, derived so the reminder can repeat the same link
    while the database keeps only its hash."""
    return hmac.new(secret_key.encode(), f"survey:{registration_id}".encode(), hashlib.sha256).hexdigest()


def survey_url(base_url: str, token: str) -> str:
    return f"{base_url}/registration/s/{token}"


def invitation_by_token(session: Session, token: str, *, for_update: bool = False) -> SurveyInvitation:
    digest = token_hash(token) if token and len(token) <= MAX_TOKEN_LENGTH else None
    invitation = None
    if digest:
        query = select(SurveyInvitation).where(SurveyInvitation.token_hash == digest)
        invitation = session.scalar(query.with_for_update() if for_update else query)
    if invitation is None:
        raise NotFound("no survey behind this link", field="token")
    return invitation


# --- the invitations job ------------------------------------------------------------


def send_due(
    session: Session, *, base_url: str, secret_key: str, now: dt.datetime | None = None, limit: int = 100
) -> int:
    """Invite and remind whoever is due in open surveys, at most `limit`; how many."""
    now = now or utcnow()
    done = 0
    for survey, listing in session.execute(
        select(Survey, Listing).join(Listing, Listing.id == Survey.event_id).where(Listing.status != "cancelled")
    ):
        if not is_open(survey, listing, now) or not questions_of(session, survey):
            continue
        for registration in _uninvited(session, survey, listing, limit - done):
            _invite(session, survey, listing, registration, base_url, secret_key, now)
            done += 1
        for invitation in _due_reminders(session, survey, now, limit - done):
            done += _remind(session, survey, listing, invitation, base_url, secret_key, now)
        if done >= limit:
            break
    return done


def tracks_attendance(session: Session, listing: Listing) -> bool:
    """Whether the event counts presence: a threshold for certificates, or any check-in."""
    return listing.attendance_threshold is not None or bool(
        session.scalar(select(exists().where(CheckIn.event_id == listing.id)))
    )


def _uninvited(session: Session, survey: Survey, listing: Listing, limit: int) -> list[Registration]:
    if limit <= 0:
        return []
    query = select(Registration).where(
        Registration.event_id == listing.id,
        Registration.status == "confirmed",
        Registration.erased_at.is_(None),
        ~exists().where(SurveyInvitation.registration_id == Registration.id),
    )
    if tracks_attendance(session, listing):
        query = query.where(
            exists().where(CheckIn.registration_id == Registration.id)
            | exists().where(OnlinePresence.registration_id == Registration.id)
        )
    return list(session.scalars(query.order_by(Registration.id).limit(limit)))


def _due_reminders(session: Session, survey: Survey, now: dt.datetime, limit: int) -> list[SurveyInvitation]:
    if limit <= 0:
        return []
    return list(
        session.scalars(
            select(SurveyInvitation)
            .where(
                SurveyInvitation.survey_id == survey.id,
                SurveyInvitation.answered.is_(False),
                SurveyInvitation.reminded_at.is_(None),
                SurveyInvitation.invited_at <= now - dt.timedelta(days=survey.reminder_days),
            )
            .order_by(SurveyInvitation.registration_id)
            .limit(limit)
        )
    )


def _invite(
    session: Session,
    survey: Survey,
    listing: Listing,
    registration: Registration,
    base_url: str,
    secret_key: str,
    now: dt.datetime,
) -> None:
    token = survey_token(secret_key, registration.id)
    session.add(
        SurveyInvitation(
            registration_id=registration.id, survey_id=survey.id, token_hash=token_hash(token), invited_at=now
        )
    )
    session.flush()  # a second job inviting the same person fails here, before publishing
    _publish(session, survey, listing, registration, survey_url(base_url, token), reminder=False)


def _remind(
    session: Session,
    survey: Survey,
    listing: Listing,
    invitation: SurveyInvitation,
    base_url: str,
    secret_key: str,
    now: dt.datetime,
) -> int:
    # Claim the reminder in one statement, so two jobs at once remind once.
    claimed = cast(
        CursorResult,
        session.execute(
            update(SurveyInvitation)
            .where(
                SurveyInvitation.registration_id == invitation.registration_id,
                SurveyInvitation.reminded_at.is_(None),
                SurveyInvitation.answered.is_(False),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    registration = session.get(Registration, invitation.registration_id)
    if not claimed or registration is None or registration.erased_at is not None or registration.status != "confirmed":
        return 0
    url = survey_url(base_url, survey_token(secret_key, registration.id))
    _publish(session, survey, listing, registration, url, reminder=True)
    return 1


def _publish(
    session: Session, survey: Survey, listing: Listing, registration: Registration, url: str, *, reminder: bool
) -> None:
    add_event(
        session,
        "survey.invited",
        {
            "registration_id": registration.id,
            "event_id": listing.id,
            "participant": participant_of(registration),
            "event": event_summary(listing),
            "survey_url": url,
            "closes_at": closes_at(survey, listing),
            "reminder": reminder,
        },
    )


# --- answering ------------------------------------------------------------------------


def open_survey(session: Session, token: str) -> tuple[SurveyInvitation, Survey, Listing, list[SurveyQuestion]]:
    """What the survey page shows behind a link (404 for an unknown one)."""
    invitation = invitation_by_token(session, token)
    survey = session.get_one(Survey, invitation.survey_id)
    listing = session.get_one(Listing, survey.event_id)
    return invitation, survey, listing, questions_of(session, survey)


def answer(session: Session, token: str, answers: dict, *, now: dt.datetime | None = None) -> SurveyResponse:
    """Record the one answer of this invitation. `answers`: question key to
    an int 1-5 (likert), an option key (single), a list of them (multiple),
    or a text. FormInvalid names each question answered wrongly."""
    now = now or utcnow()
    invitation = invitation_by_token(session, token, for_update=True)
    survey = session.get_one(Survey, invitation.survey_id)
    listing = session.get_one(Listing, survey.event_id)
    if not is_open(survey, listing, now):
        raise SurveyClosed("the survey is closed", field="token")
    if invitation.answered:
        raise AlreadyAnswered("this survey was already answered", field="token")
    clean = checked_answers(questions_of(session, survey), answers)
    invitation.answered = True
    response = SurveyResponse(
        survey_id=survey.id,
        registration_id=None if survey.anonymous else invitation.registration_id,
        submitted_at=None if survey.anonymous else now,
        answers=clean,
    )
    session.add(response)
    session.flush()
    return response


def checked_answers(questions: list[SurveyQuestion], answers: dict) -> dict:
    """The answers that fit their questions; FormInvalid naming each that does not."""
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.key)
        try:
            checked = _checked(question, value)
        except ValueError as exc:
            errors[question.key] = str(exc)
            continue
        if checked in (None, "", []):
            if question.required:
                errors[question.key] = "this field is required"
            continue
        clean[question.key] = checked
    if errors:
        raise FormInvalid(errors)
    return clean


def _checked(question: SurveyQuestion, value):
    if value in (None, "", []):
        return None
    keys = [o["key"] for o in question.options]
    if question.kind == "likert":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError("not one of the options") from None
        if number not in LIKERT or isinstance(value, bool) or (isinstance(value, float) and value != number):
            raise ValueError("not one of the options")
        return number
    if question.kind == "single":
        if not isinstance(value, str) or value not in keys:
            raise ValueError("not one of the options")
        return value
    if question.kind == "multiple":
        chosen = [value] if isinstance(value, str) else value
        if not isinstance(chosen, list) or any(not isinstance(v, str) or v not in keys for v in chosen):
            raise ValueError("not one of the options")
        return [key for key in keys if key in chosen]  # in the options' order, each once
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = value.strip()
    if len(text) > MAX_TEXT_ANSWER:
        raise ValueError(f"at most {MAX_TEXT_ANSWER} characters")
    return text


def required_survey(session: Session, listing: Listing) -> Survey:
    survey = survey_of(session, listing)
    if survey is None:
        raise NotFound("this event has no survey", field="slug")
    return survey


def forget(session: Session, registration: Registration) -> None:
    """Erasure: the link stops working and answers tied to this registration
    (named surveys) go; anonymous answers were never tied to it and stay."""
    invitation = session.get(SurveyInvitation, registration.id)
    if invitation is not None:
        invitation.token_hash = token_hash(new_token())  # unknown to anyone
    for response in session.scalars(select(SurveyResponse).where(SurveyResponse.registration_id == registration.id)):
        session.delete(response)
