"""Certificates issued and revoked: by the event's rules on every change of
attendance or test result (and when the event ends), or by an organiser
by hand with a reason.

- Meeting the rules issues a certificate (`attendance.certified` with a new
  certificate id). Once the event has ended, a change of the facts on it
  (hours, credits, score) issues a corrected one with a new id that replaces
  the earlier; during the event the first one stands until the end, so a
  certificate is not reissued at every check-in.
- Falling below the rules (a corrected attendance report, stricter rules)
  revokes a certificate the rules issued (`certificate.revoked`, cause
  "rules"): an HR office must be able to trust that a valid certificate
  matches the record. One an organiser issued is never revoked by the rules.
- An organiser's decision (issue or revoke, with the reason, kept in
  certificate_decisions) overrides the rules: after it the rules leave that
  registration alone, until the organiser decides again.
- Erasure revokes with cause "erasure" (the certificate then verifies as no
  longer available) and forgets the reasons and test attempts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict
from shared.messaging import add_event

from .certificate_rules import Verdict, rules_of, set_rules, verdict
from .models import Certificate, CertificateDecision, CertificateRules, FinalTestAttempt, Listing, Registration
from .publishing import event_summary, participant_of


def live_certificate(session: Session, registration_id: str) -> Certificate | None:
    return session.scalars(
        select(Certificate).where(
            Certificate.registration_id == registration_id,
            Certificate.revoked_at.is_(None),
            Certificate.superseded_by.is_(None),
        )
    ).first()


def decisions_of(session: Session, registration_id: str) -> list[CertificateDecision]:
    return list(
        session.scalars(
            select(CertificateDecision)
            .where(CertificateDecision.registration_id == registration_id)
            .order_by(CertificateDecision.decided_at, CertificateDecision.id)
        )
    )


def evaluate(session: Session, registration: Registration, listing: Listing, now: dt.datetime | None = None) -> bool:
    """Bring the registration's certificate in line with the rules; True when one was issued."""
    if listing.attendance_threshold is None or registration.status != "confirmed" or registration.erased_at:
        return False
    if decisions_of(session, registration.id):
        return False  # an organiser decided: the rules leave it alone
    now = now or utcnow()
    current = live_certificate(session, registration.id)
    facts = verdict(session, registration, listing)
    if not facts.met:
        if current is not None and current.issued_by == "rules":
            revoke(session, registration, current, cause="rules", reason=", ".join(facts.unmet), now=now)
        return False
    if current is not None and (now < listing.ends_at or current.facts() == facts.facts()):
        return False
    issue(session, registration, listing, facts, issued_by="rules", now=now)
    return True


def change_rules(session: Session, listing: Listing, changes: dict, *, by: str = "") -> dict:
    """Change some of the event's rules, then evaluate everyone confirmed against them."""
    view = set_rules(session, listing, changes, by=by)
    evaluate_all(session, listing)
    return view


def evaluate_all(session: Session, listing: Listing, now: dt.datetime | None = None) -> int:
    """Evaluate every confirmed registration of the event; how many were issued a certificate."""
    confirmed = session.scalars(
        select(Registration)
        .where(Registration.event_id == listing.id, Registration.status == "confirmed")
        .order_by(Registration.last_name, Registration.first_name, Registration.id)
    )
    return sum(evaluate(session, registration, listing, now) for registration in list(confirmed))


def close_ended(session: Session, now: dt.datetime | None = None, limit: int = 20) -> int:
    """The evaluation at the end of each event that gives certificates, once per event:
    corrections to the certificates issued during it, and those who now meet the rules."""
    now = now or utcnow()
    ended = session.scalars(
        select(Listing)
        .outerjoin(CertificateRules, CertificateRules.event_id == Listing.id)
        .where(
            Listing.ends_at <= now,
            Listing.attendance_threshold.is_not(None),
            Listing.anonymised_at.is_(None),
            CertificateRules.closed_at.is_(None),
        )
        .order_by(Listing.ends_at, Listing.id)
        .limit(limit)
        .with_for_update(of=Listing, skip_locked=True)  # two workers never evaluate one event at once
    ).all()
    for listing in ended:
        evaluate_all(session, listing, now)
        rules_of(session, listing).closed_at = now
    return len(ended)


def issue(
    session: Session,
    registration: Registration,
    listing: Listing,
    facts: Verdict,
    *,
    issued_by: str,
    reason: str = "",
    now: dt.datetime,
) -> Certificate:
    """A new certificate; a live one before it is superseded (the new one replaces it)."""
    previous = live_certificate(session, registration.id)
    certificate = Certificate(
        registration_id=registration.id,
        event_id=listing.id,
        issued_by=issued_by,
        reason=reason,
        minutes_attended=facts.minutes_attended,
        hours_total=facts.hours_attended,
        credits=list(facts.credits),
        final_test_score=facts.final_test_score,
        issued_at=now,
    )
    session.add(certificate)
    session.flush()
    if previous is not None:
        previous.superseded_by = certificate.id
    registration.certified_at = now
    add_event(
        session,
        "attendance.certified",
        {
            "registration_id": registration.id,
            "event_id": listing.id,
            "participant": participant_of(registration),
            "event": event_summary(listing),
            "event_type": listing.event_type,
            "minutes_attended": facts.minutes_attended,
            "total_minutes": facts.total_minutes,
            "hours": round(facts.minutes_attended / 60, 2),
            "percent": facts.percent,
            "threshold_percent": listing.attendance_threshold or 0,
            "organisation_ids": list(listing.organisation_ids or []),
            "certified_at": now,
            "certificate_id": certificate.id,
            "hours_total": facts.hours_attended,
            "credits": list(facts.credits),
            "final_test_score": facts.final_test_score,
            "issued_by": issued_by,
            "reason": reason,
        },
    )
    return certificate


def revoke(
    session: Session, registration: Registration, certificate: Certificate, *, cause: str, reason: str, now: dt.datetime
) -> None:
    certificate.revoked_at, certificate.revoked_cause, certificate.revoked_reason = now, cause, reason
    registration.certified_at = None
    add_event(
        session,
        "certificate.revoked",
        {
            "registration_id": registration.id,
            "event_id": certificate.event_id,
            "certificate_id": certificate.id,
            "cause": cause,
            "reason": reason,
            "revoked_at": now,
        },
    )


def decide(
    session: Session,
    registration: Registration,
    listing: Listing,
    *,
    action: str,
    reason: str,
    by: str,
    now: dt.datetime | None = None,
) -> CertificateDecision:
    """An organiser issues (a confirmed registration; a live certificate is replaced
    by one with today's facts) or revokes (the live certificate) by hand."""
    now = now or utcnow()
    current = live_certificate(session, registration.id)
    if action == "issue":
        if registration.status != "confirmed" or registration.erased_at:
            raise Conflict(f"a {registration.status} registration cannot be certified", field="registration")
        facts = verdict(session, registration, listing)
        certificate = issue(session, registration, listing, facts, issued_by="organiser", reason=reason, now=now)
    else:
        if current is None:
            raise Conflict("the registration has no valid certificate to revoke", field="action")
        revoke(session, registration, current, cause="organiser", reason=reason, now=now)
        certificate = current
    decision = CertificateDecision(
        registration_id=registration.id,
        event_id=listing.id,
        action=action,
        reason=reason,
        certificate_id=certificate.id,
        decided_by=by,
        decided_at=now,
    )
    session.add(decision)
    session.flush()
    return decision


def forget(session: Session, registration: Registration, now: dt.datetime | None = None) -> None:
    """Erasure: the live certificate revoked (cause erasure), the reasons of decisions
    and certificates blanked, the test attempts deleted."""
    now = now or utcnow()
    current = live_certificate(session, registration.id)
    if current is not None:
        revoke(session, registration, current, cause="erasure", reason="", now=now)
    session.execute(
        update(CertificateDecision).where(CertificateDecision.registration_id == registration.id).values(reason="")
    )
    session.execute(
        update(Certificate).where(Certificate.registration_id == registration.id).values(reason="", revoked_reason="")
    )
    session.execute(delete(FinalTestAttempt).where(FinalTestAttempt.registration_id == registration.id))


def history_of(session: Session, registration_id: str) -> list[Certificate]:
    return list(
        session.scalars(
            select(Certificate).where(Certificate.registration_id == registration_id).order_by(Certificate.issued_at)
        )
    )


def standing(session: Session, registration: Registration, listing: Listing) -> dict:
    """Where a registration stands: the facts against the rules, its certificates, the decisions."""
    facts = verdict(session, registration, listing)
    history = history_of(session, registration.id)
    return {
        "registration": registration,
        "verdict": facts,
        "certificate": next((c for c in history if c.live), None),
        "history": history,
        "decisions": decisions_of(session, registration.id),
    }


def standings(session: Session, listing: Listing) -> list[dict]:
    """Every confirmed registration, and anyone else who holds or held a certificate."""
    holders = select(Certificate.registration_id).where(Certificate.event_id == listing.id)
    rows = session.scalars(
        select(Registration)
        .where(
            Registration.event_id == listing.id,
            Registration.erased_at.is_(None),
            (Registration.status == "confirmed") | Registration.id.in_(holders),
        )
        .order_by(Registration.last_name, Registration.first_name, Registration.id)
    )
    return [standing(session, registration, listing) for registration in rows]
