"""Organisers write to a group of an event's participants: the confirmed,
the waiting list, those awaiting approval, a category, or a workshop's
confirmed seat holders. Sending keeps the message (the page's history) and
hands the recipients to notifications in `participant.messaged` events of
at most MESSAGE_BATCH people each, in the caller's transaction; notifications
mails them through its usual delivery pipeline. Plain text only: the mail
escapes it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import TooManyRequests, Unprocessable
from shared.events.registration import MESSAGE_BATCH
from shared.messaging import add_event

from .models import ACTIVE, Category, Listing, ProgrammeSession, Registration, WorkshopSignup
from .models.message import AUDIENCES, ParticipantMessage
from .publishing import event_summary

MAX_PER_EVENT_HOUR = 5  # messages per event in any hour, whoever sends them: a slip never floods people
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Audience:
    """Whom a message goes to: `kind` one of AUDIENCES; `key` the category's
    code or the workshop's session id for those two kinds."""

    kind: str
    key: str | None = None


@dataclass(frozen=True)
class Draft:
    audience: Audience
    subject_it: str
    body_it: str
    subject_en: str | None = None
    body_en: str | None = None


def recipients_query(session: Session, listing: Listing, audience: Audience) -> Select:
    """The registrations a message to `audience` reaches, in a stable order."""
    query = select(Registration).where(Registration.event_id == listing.id, Registration.erased_at.is_(None))
    if audience.kind in ("confirmed", "waitlisted", "pending"):
        query = query.where(Registration.status == audience.kind)
    elif audience.kind == "category":
        category = session.scalar(
            select(Category).where(Category.event_id == listing.id, Category.code == (audience.key or ""))
        )
        if category is None:
            raise Unprocessable(f"this event has no category {audience.key!r}", field="category")
        query = query.where(Registration.category_id == category.id, Registration.status.in_(ACTIVE))
    elif audience.kind == "workshop":
        workshop = _workshop(session, listing, audience.key)
        seat_holders = select(WorkshopSignup.registration_id).where(
            WorkshopSignup.session_id == workshop.id, WorkshopSignup.status == "confirmed"
        )
        query = query.where(Registration.status == "confirmed", Registration.id.in_(seat_holders))
    else:
        raise Unprocessable(f"choose one of {', '.join(AUDIENCES)}", field="audience")
    return query.order_by(Registration.created_at, Registration.id)


def _workshop(session: Session, listing: Listing, key: str | None) -> ProgrammeSession:
    workshop = session.get(ProgrammeSession, int(key)) if key and key.isdigit() else None
    if workshop is None or workshop.event_id != listing.id or not workshop.requires_signup:
        raise Unprocessable("this event has no such workshop", field="workshop")
    return workshop


def count_recipients(session: Session, listing: Listing, audience: Audience) -> int:
    query = recipients_query(session, listing, audience).order_by(None)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


@dataclass(frozen=True)
class Preview:
    recipients: int
    sample: Registration | None  # the first person it reaches, to show the greeting with a real name


def preview(session: Session, listing: Listing, draft: Draft) -> Preview:
    return Preview(
        count_recipients(session, listing, draft.audience),
        session.scalar(recipients_query(session, listing, draft.audience).limit(1)),
    )


def send(
    session: Session, listing: Listing, draft: Draft, *, by: str, now: dt.datetime | None = None
) -> ParticipantMessage:
    """Keep the message and queue its events. Refused (429) past
    MAX_PER_EVENT_HOUR messages of this event in the last hour, and (422)
    when the group is empty."""
    now = now or utcnow()
    recent = session.scalar(
        select(func.count())
        .select_from(ParticipantMessage)
        .where(ParticipantMessage.event_id == listing.id, ParticipantMessage.sent_at > now - HOUR)
    )
    if (recent or 0) >= MAX_PER_EVENT_HOUR:
        raise TooManyRequests(
            f"this event has had {MAX_PER_EVENT_HOUR} messages in the last hour: try again later",
            retry_after=int(HOUR.total_seconds()),
            field="audience",
        )
    people = _recipients(session, listing, draft.audience)
    if not people:
        raise Unprocessable("nobody is in this group", field="audience")
    message = ParticipantMessage(
        id=str(uuid.uuid4()),
        event_id=listing.id,
        audience=draft.audience.kind,
        audience_key=draft.audience.key,
        subject_it=draft.subject_it,
        subject_en=draft.subject_en,
        body_it=draft.body_it,
        body_en=draft.body_en,
        recipients=len(people),
        sent_by=by[:64],
        sent_at=now,
    )
    session.add(message)
    _announce(session, listing, message, draft, people)
    return message


def _recipients(session: Session, listing: Listing, audience: Audience) -> list[dict]:
    """Each recipient as the event carries them, read as plain columns (an
    event of 10,000 people is a few megabytes, not 10,000 mapped objects)."""
    query = recipients_query(session, listing, audience).with_only_columns(
        Registration.id,
        Registration.first_name,
        Registration.last_name,
        Registration.email,
        Registration.organisation,
        Registration.role,
        Registration.locale,
    )
    return [
        {
            "registration_id": row.id,
            "participant": {name: getattr(row, name) for name in PARTICIPANT_FACTS},
        }
        for row in session.execute(query)
    ]


PARTICIPANT_FACTS = ("first_name", "last_name", "email", "organisation", "role", "locale")


def _announce(
    session: Session, listing: Listing, message: ParticipantMessage, draft: Draft, people: list[dict]
) -> None:
    common = {
        "message_id": message.id,
        "event_id": listing.id,
        "event": event_summary(listing),
        "audience": message.audience,
        "subject": {"it": draft.subject_it, "en": draft.subject_en},
        "body": {"it": draft.body_it, "en": draft.body_en},
        "batches": -(-len(people) // MESSAGE_BATCH),
    }
    for number, start in enumerate(range(0, len(people), MESSAGE_BATCH), start=1):
        batch = people[start : start + MESSAGE_BATCH]
        add_event(session, "participant.messaged", {**common, "batch": number, "recipients": batch})


def history(session: Session, listing: Listing, *, limit: int = 50) -> list[ParticipantMessage]:
    return list(
        session.scalars(
            select(ParticipantMessage)
            .where(ParticipantMessage.event_id == listing.id)
            .order_by(ParticipantMessage.sent_at.desc(), ParticipantMessage.id)
            .limit(limit)
        )
    )


def workshops_of(session: Session, listing: Listing) -> list[ProgrammeSession]:
    """The workshops a message can go to (their confirmed seat holders)."""
    return list(
        session.scalars(
            select(ProgrammeSession)
            .where(ProgrammeSession.event_id == listing.id, ProgrammeSession.requires_signup.is_(True))
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        )
    )
