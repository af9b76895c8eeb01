"""Queueing e-mails: render the template in the reader's language, build the
MIME bytes (with an invitation or attachments) and write the delivery row
in the caller's transaction. The sender loop (smtp.send_due) does the rest."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from shared.db import utcnow

from ..config import NotifyConfig
from ..models import Delivery
from ..store.wakeups import MAIL, mark
from . import unsubscribe_links
from .addresses import UndeliverableAddress, smtp_address
from .mime import Attachment, build_mail
from .render import render, render_notice


def delivery_row(
    config: NotifyConfig,
    *,
    kind: str,
    participant: dict,
    event: dict,
    registration_id: str | None,
    calendar: bytes | None = None,
    method: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    **context,
) -> dict:
    """One mail as the values of its delivery row (nothing written yet). A
    recipient no mail can be written to gives a row that has failed at once,
    with the reason (addresses.py), and nothing raises: the other mails of the
    same event or job still go."""
    language = participant.get("locale") or "it"
    rendered = render(
        kind, language, participant=participant, event=event, has_invitation=calendar is not None, **context
    )
    name = f"{participant.get('first_name', '')} {participant.get('last_name', '')}".strip()
    try:
        recipient: str | None = smtp_address(participant["email"])
        problem = None
    except UndeliverableAddress as exc:
        recipient, problem = None, str(exc)
    mail = build_mail(
        sender=config.settings.mail_from,
        recipient=recipient,
        recipient_name=name,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        calendar=calendar,
        method=method,
        language=language,
        attachments=attachments,
        unsubscribe_url=unsubscribe_links.url_for(config, kind, registration_id),
    )
    now = utcnow()
    return {
        "message_id": mail.message_id,
        "subject": mail.subject[:500],
        "raw": mail.raw,
        "kind": kind,
        "recipient": (recipient or participant["email"])[:320],
        "registration_id": registration_id,
        "event_id": event.get("event_id"),
        "status": "pending" if problem is None else "failed",
        "last_error": problem,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def queue_mail(session: Session, config: NotifyConfig, **mail) -> Delivery:
    """Queue one mail (see delivery_row for the arguments); flushed, so it has its id."""
    delivery = Delivery(**delivery_row(config, **mail))
    session.add(delivery)
    mark(session, MAIL)
    session.flush()
    return delivery


def queue_many(session: Session, rows: list[dict]) -> None:
    """Queue many mails in one statement (digests, reminders)."""
    if rows:
        session.execute(insert(Delivery), rows)
        mark(session, MAIL)


def queue_notice(session: Session, config: NotifyConfig, *, kind: str, recipient: str, language: str, **context):
    """Queue a notice to an organisation's contact (render.NOTICE_KINDS): no
    event, no registration, the same sender loop as every other mail."""
    rendered = render_notice(kind, language, **context)
    try:
        address: str | None = smtp_address(recipient)
        problem = None
    except UndeliverableAddress as exc:
        address, problem = None, str(exc)
    mail = build_mail(
        sender=config.settings.mail_from,
        recipient=address,
        recipient_name="",
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        language=language,
    )
    now = utcnow()
    delivery = Delivery(
        message_id=mail.message_id,
        subject=mail.subject[:500],
        raw=mail.raw,
        kind=kind,
        recipient=(address or recipient)[:320],
        registration_id=None,
        event_id=None,
        status="pending" if problem is None else "failed",
        last_error=problem,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    mark(session, MAIL)
    session.flush()
    return delivery
