"""attendance.certified into a certificate of attendance, e-mailed as a PDF
attachment. Sent once per registration; a later certification with other
hours sends the corrected certificate."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.db import utcnow

from . import copies
from .certificate_pdf import CertificateFacts, certificate_pdf, format_hours
from .config import NotifyConfig
from .mail.mime import Attachment
from .mail.outgoing import queue_mail
from .models import Certificate, Delivery


def attendance_certified(session: Session, data: dict, config: NotifyConfig) -> Delivery | None:
    certificate = session.get(Certificate, data["registration_id"], with_for_update=True)
    if certificate is not None and certificate.minutes_attended == data["minutes_attended"]:
        return None  # this certificate was sent already
    if certificate is None:
        certificate = Certificate(registration_id=data["registration_id"], event_id=data["event_id"])
        session.add(certificate)
    certificate.minutes_attended, certificate.hours = data["minutes_attended"], data["hours"]
    certificate.certified_at, certificate.sent_at = data["certified_at"], utcnow()
    event, _change = copies.apply_event(session, data["event"], full=False)
    participant = data["participant"]
    language = participant.get("locale") or "it"
    pdf = certificate_pdf(_facts(data, event.type or data.get("event_type") or "", config), config.certificate_font)
    name = ("attestato" if language == "it" else "certificate") + f"-{data['event']['slug']}.pdf"
    return queue_mail(
        session,
        config,
        kind="certificate",
        participant=participant,
        event=data["event"],
        registration_id=data["registration_id"],
        hours=format_hours(data["minutes_attended"], language),
        attachments=(Attachment(name, "application", "pdf", pdf),),
    )


def _facts(data: dict, event_type: str, config: NotifyConfig) -> CertificateFacts:
    participant, event = data["participant"], data["event"]
    language = participant.get("locale") or "it"
    title = (event["title"].get("en") if language == "en" else None) or event["title"]["it"]
    return CertificateFacts(
        language=language,
        participant_name=f"{participant['first_name']} {participant['last_name']}",
        organisation=participant.get("organisation") or "",
        event_title=title,
        event_type=data.get("event_type") or event_type,
        starts_at=event["starts_at"],
        ends_at=event["ends_at"],
        timezone=event["timezone"],
        venue=event.get("venue") or "",
        minutes_attended=data["minutes_attended"],
        total_minutes=data["total_minutes"],
        percent=data["percent"],
        organisers=(config.organizer_name,),
        certified_at=data["certified_at"],
        reference=data["registration_id"],
    )
