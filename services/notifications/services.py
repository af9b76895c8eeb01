"""Notifications use cases: turn registration events into e-mails (with
invitations) in the delivery log. They never commit."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.config import Settings
from shared.db import utcnow
from shared.errors import NotFound

from .invitations import InviteData, build_invitation
from .mail import compose
from .models import Delivery, Invitation
from .templates import render


def invitation_uid(registration_id: str, settings: Settings) -> str:
    host = settings.public_base_url.split("://", 1)[-1].split("/")[0].split(":")[0] or "eventi.localhost"
    return f"registration-{registration_id}@{host}"


def registration_changed(session: Session, data: dict, settings: Settings) -> Delivery | None:
    """One e-mail per registration transition; the invitation follows the
    seat: REQUEST when confirmed, CANCEL when a confirmed seat is lost."""
    invitation = session.get(Invitation, data["registration_id"], with_for_update=True)
    if invitation is not None and invitation.registration_revision >= data["revision"]:
        return None  # stale or repeated news about this registration
    if invitation is None:
        invitation = Invitation(registration_id=data["registration_id"], event_id=data["event_id"],
                                uid=invitation_uid(data["registration_id"], settings), sequence=0, state="none")
        session.add(invitation)
    invitation.registration_revision = data["revision"]
    method = None
    if data["status"] == "confirmed":
        invitation.request()
        method = "REQUEST"
    elif data["status"] in ("cancelled", "rejected", "expired") and invitation.cancel():
        method = "CANCEL"
    session.flush()
    return queue_mail(session, settings, kind=f"registration_{data['status']}", data=data,
                      invitation=invitation if method else None, method=method)


def queue_mail(session: Session, settings: Settings, *, kind: str, data: dict,
               invitation: Invitation | None, method: str | None) -> Delivery:
    participant, event = data["participant"], data["event"]
    language = participant.get("locale", "it")
    rendered = render(kind, language, participant=participant, event=event,
                      manage_url=data.get("manage_url"), waitlist_position=data.get("waitlist_position"),
                      has_invitation=method is not None)
    calendar = _calendar(settings, invitation, method, data) if method else None
    name = f"{participant['first_name']} {participant['last_name']}"
    message = compose(sender=settings.mail_from, recipient=participant["email"], recipient_name=name,
                      subject=rendered.subject, text=rendered.text, html=rendered.html,
                      calendar=calendar, method=method, language=language)
    return _log(session, message, kind=kind, recipient=participant["email"],
                registration_id=data.get("registration_id"), event_id=event.get("event_id"))


def _calendar(settings: Settings, invitation: Invitation, method: str, data: dict) -> bytes:
    participant, event = data["participant"], data["event"]
    language = participant.get("locale", "it")
    title = (event["title"].get(language) or event["title"]["it"])
    return build_invitation(InviteData(
        uid=invitation.uid, sequence=invitation.sequence, summary=title,
        starts_at=event["starts_at"], ends_at=event["ends_at"], location=event.get("venue") or "",
        description=event.get("url") or "", url=event.get("url"),
        organizer_email=settings.organizer_email, organizer_name="Eventi",
        attendee_email=participant["email"], attendee_name=f"{participant['first_name']} {participant['last_name']}",
        stamp=utcnow().replace(microsecond=0),
    ), method)


def _log(session: Session, message: EmailMessage, **fields) -> Delivery:
    delivery = Delivery(message_id=message["Message-ID"], subject=str(message["Subject"]),
                        raw=message.as_bytes(policy=SMTP), status="pending", next_attempt_at=utcnow(), **fields)
    session.add(delivery)
    session.flush()
    return delivery


def list_deliveries(session: Session, limit: int = 200) -> list[Delivery]:
    return list(session.scalars(select(Delivery).order_by(Delivery.id.desc()).limit(limit)))


def get_delivery(session: Session, delivery_id: int) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id}", field="delivery_id")
    return delivery
