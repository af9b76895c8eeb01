"""Certificates, decisions and final tests as the API and the pages show them."""

from __future__ import annotations

from ..models import Certificate, CertificateDecision, FinalTest


def certificate_view(certificate: Certificate | None) -> dict | None:
    if certificate is None:
        return None
    return {
        "certificate_id": certificate.id,
        "issued_by": certificate.issued_by,
        "reason": certificate.reason,
        "hours_total": certificate.hours_total,
        "credits": certificate.credits,
        "final_test_score": certificate.final_test_score,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
        "revoked_cause": certificate.revoked_cause,
        "revoked_reason": certificate.revoked_reason,
        "superseded_by": certificate.superseded_by,
    }


def decision_view(decision: CertificateDecision) -> dict:
    return {
        "action": decision.action,
        "reason": decision.reason,
        "certificate_id": decision.certificate_id,
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at,
    }


def standing_view(standing: dict) -> dict:
    registration, facts = standing["registration"], standing["verdict"]
    return {
        "registration_id": registration.id,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "minutes_attended": facts.minutes_attended,
        "hours_attended": facts.hours_attended,
        "hours_total": facts.hours_total,
        "share": facts.share,
        "final_test_score": facts.final_test_score,
        "unmet": list(facts.unmet),
        "certificate": certificate_view(standing["certificate"]),
        "history": [certificate_view(c) for c in standing["history"]],
        "decisions": [decision_view(d) for d in standing["decisions"]],
    }


def final_test_view(test: FinalTest) -> dict:
    """The organisers' view, with the right answers."""
    return {
        "title": {"it": test.title_it, "en": test.title_en},
        "pass_percent": test.pass_percent,
        "attempts_allowed": test.attempts_allowed,
        "opens_at": test.opens_at,
        "closes_at": test.closes_at,
        "questions": [
            {
                "id": q.id,
                "kind": q.kind,
                "text": {"it": q.text_it, "en": q.text_en},
                "options": [
                    {"id": o.id, "text": {"it": o.text_it, "en": o.text_en}, "correct": o.correct} for o in q.options
                ],
            }
            for q in test.questions
        ],
    }
