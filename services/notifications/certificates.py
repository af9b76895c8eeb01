"""attendance.certified into a signed certificate of attendance: the PDF is
made, PAdES-signed with the operator's key (certificate_signing.py), kept
with a hashed download token, mailed as an attachment and announced as
certificate.issued through the outbox (registration keeps it in the
person's training record). Each certificate id is issued once; a corrected
certification (a new id, or other minutes when the event carries no id)
supersedes the earlier certificate. certificate.revoked marks one revoked,
or "no longer available" when the person's data was erased."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.messaging import add_event

from . import copies
from .certificate_links import certificate_links, new_download_token, token_hash
from .certificate_pdf import CertificateFacts, certificate_pdf, format_hours
from .certificate_signing import load_signing_key, sign_pdf
from .config import NotifyConfig
from .mail.mime import Attachment
from .mail.outgoing import queue_mail
from .models import Attendee, Certificate, Delivery

SIGNING_REASON = {"it": "Attestato di partecipazione", "en": "Certificate of attendance"}


def attendance_certified(session: Session, data: dict, config: NotifyConfig) -> Delivery | None:
    registration_id = data["registration_id"]
    if _erased(session, registration_id):
        return None  # a late certification must not bring the person back
    current = _valid_certificate(session, registration_id)
    given_id = data.get("certificate_id")
    if given_id is not None and session.get(Certificate, given_id) is not None:
        return None  # this certificate was issued already
    if given_id is None and current is not None and current.minutes_attended == data["minutes_attended"]:
        return None  # the same certification again
    now = utcnow()
    if current is not None:
        current.revoke("corrected", now)
    certificate = _new_certificate(data, given_id or str(uuid.uuid4()))
    certificate.sent_at = now
    token = new_download_token()
    links = certificate_links(config, certificate.certificate_id, token)
    event, _change = copies.apply_event(session, data["event"], full=False)
    participant = data["participant"]
    language = participant.get("locale") or "it"
    facts = _facts(data, event.type or data.get("event_type") or "", config, certificate, links.verification)
    pdf = _signed(certificate, certificate_pdf(facts, config.certificate_font), config, language)
    certificate.pdf, certificate.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    certificate.download_token_hash = token_hash(token)
    session.add(certificate)
    add_event(
        session,
        "certificate.issued",
        {
            "certificate_id": certificate.certificate_id,
            "registration_id": registration_id,
            "event_id": data["event_id"],
            "verification_url": links.verification,
            "download_url": links.download,
            "signed": certificate.signed,
            "issued_at": now,
        },
    )
    name = ("attestato" if language == "it" else "certificate") + f"-{data['event']['slug']}.pdf"
    return queue_mail(
        session,
        config,
        kind="certificate",
        participant=participant,
        event=data["event"],
        registration_id=registration_id,
        hours=format_hours(data["minutes_attended"], language),
        verification_url=links.verification,
        attachments=(Attachment(name, "application", "pdf", pdf),),
    )


def certificate_revoked(session: Session, data: dict) -> Certificate | None:
    """An organiser's or the rules' revocation, or erasure: the certificate
    stops verifying as valid; erasure also drops its PDF and holder."""
    certificate = session.get(Certificate, data["certificate_id"], with_for_update=True)
    if certificate is None:
        # The revocation overtook the certification (a retry on the bus): a
        # row without facts keeps the late certification from issuing it.
        certificate = _placeholder(data)
        session.add(certificate)
    if data["cause"] == "erasure":
        certificate.erase(data["revoked_at"])
    else:
        certificate.revoke(data["cause"], data["revoked_at"])
    return certificate


def erase_certificates(session: Session, registration_id: str, when) -> int:
    """participant.erased: every certificate of the registration becomes
    "no longer available". Returns how many there were."""
    rows = session.scalars(
        select(Certificate).where(Certificate.registration_id == registration_id).with_for_update()
    ).all()
    for certificate in rows:
        certificate.erase(when)
    return len(rows)


def _placeholder(data: dict) -> Certificate:
    return Certificate(
        certificate_id=data["certificate_id"],
        registration_id=data["registration_id"],
        event_id=data["event_id"],
        status="valid",
        minutes_attended=0,
        hours=0.0,
        credits=[],
        holder="",
        event_title={},
        timezone="Europe/Rome",
        issued_by="rules",
        certified_at=data["revoked_at"],
        sent_at=data["revoked_at"],
        signed=False,
        self_signed=False,
        signer="",
    )


def _erased(session: Session, registration_id: str) -> bool:
    attendee = session.get(Attendee, registration_id)
    return attendee is not None and attendee.erased_at is not None


def _valid_certificate(session: Session, registration_id: str) -> Certificate | None:
    query = (
        select(Certificate)
        .where(Certificate.registration_id == registration_id, Certificate.status == "valid")
        .order_by(Certificate.sent_at.desc())
        .limit(1)
        .with_for_update()
    )
    return session.scalars(query).first()


def holder_of(participant: dict) -> str:
    """The least of a name that still lets a reader match a certificate to
    the person in front of them: first name and the surname's initial."""
    first, last = (participant.get("first_name") or "").strip(), (participant.get("last_name") or "").strip()
    return f"{first} {last[:1]}.".strip() if last else first


def _new_certificate(data: dict, certificate_id: str) -> Certificate:
    event = data["event"]
    hours_total = data.get("hours_total")
    return Certificate(
        certificate_id=certificate_id,
        registration_id=data["registration_id"],
        event_id=data["event_id"],
        status="valid",
        minutes_attended=data["minutes_attended"],
        hours=hours_total if hours_total is not None else data["hours"],
        credits=[_credit(c) for c in data.get("credits") or ()],
        holder=holder_of(data["participant"])[:120],
        event_title={"it": event["title"]["it"], "en": event["title"].get("en")},
        event_starts_at=event["starts_at"],
        event_ends_at=event["ends_at"],
        timezone=event["timezone"],
        issued_by=data.get("issued_by") or "rules",
        certified_at=data["certified_at"],
        signed=False,
        self_signed=False,
        signer="",
    )


def _credit(amount: dict) -> dict:
    return {
        "type_id": amount["type_id"],
        "name": {"it": amount["name"]["it"], "en": amount["name"].get("en")},
        "unit": amount.get("unit") or "",
        "amount": amount["amount"],
    }


def _signed(certificate: Certificate, pdf: bytes, config: NotifyConfig, language: str) -> bytes:
    if config.certificate_pkcs12 is None:
        return pdf  # no key configured: unsigned, and the verification page says so
    key = load_signing_key(config.certificate_pkcs12, config.certificate_pkcs12_password)
    certificate.signed, certificate.self_signed, certificate.signer = True, key.self_signed, key.subject[:300]
    return sign_pdf(
        pdf,
        key,
        reason=SIGNING_REASON.get(language, SIGNING_REASON["it"]),
        location=config.host,
        timestamp_url=config.certificate_timestamp_url,
    )


def _facts(
    data: dict, event_type: str, config: NotifyConfig, certificate: Certificate, verification_url: str
) -> CertificateFacts:
    participant, event = data["participant"], data["event"]
    language = participant.get("locale") or "it"
    title = (event["title"].get("en") if language == "en" else None) or event["title"]["it"]
    credits = tuple(
        (
            (c["name"].get("en") if language == "en" else None) or c["name"]["it"],
            float(c["amount"]),
            c.get("unit") or "",
        )
        for c in certificate.credits
    )
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
        certificate_id=certificate.certificate_id,
        verification_url=verification_url,
        hours_total=data.get("hours_total"),
        credits=credits,
        final_test_score=data.get("final_test_score"),
    )
