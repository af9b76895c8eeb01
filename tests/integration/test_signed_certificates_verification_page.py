"""The public verification page of certificates, on SQLite and PostgreSQL:
valid, superseded by a correction, revoked by the organiser or the rules
(a date, never the reason), no longer available after erasure, unknown;
the same as JSON; the signed PDF only with the download token of
certificate.issued, which notifications puts in its outbox; the mail still
carries the PDF. The page shows the holder as first name and initial."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from services.notifications.certificate_signing import self_signed_pkcs12
from services.notifications.models import Certificate, Outbox
from shared.events import data_schema
from tests.integration.notification_helpers import Notifications, golden
from tests.integration.signed_certificates_support import PASSWORD, make_authority, validate
from tests.integration.test_certificates_open_as_pdf_with_name_and_hours import pdf_of

UTC = dt.timezone.utc
FIRST = "c3a1e7d0-5555-4e4e-9f9f-000000000001"
SECOND = "c3a1e7d0-5555-4e4e-9f9f-000000000002"
AUTHORITY = make_authority()
JSON = {"Accept": "application/json"}
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Notifications(
        tmp_path,
        database_url=database_url,
        certificate_pkcs12=AUTHORITY.pkcs12,
        certificate_pkcs12_password=PASSWORD,
    )


def certified(certificate_id: str = FIRST, **overrides) -> dict:
    data = golden("attendance.certified")
    data.update(certificate_id=certificate_id, hours_total=3.0)
    data.update(overrides)
    return data


def revoked(certificate_id: str = FIRST, cause: str = "organiser") -> dict:
    return {
        "registration_id": certified()["registration_id"],
        "event_id": certified()["event_id"],
        "certificate_id": certificate_id,
        "cause": cause,
        "reason": "Firma di presenza contestata dal docente",
        "revoked_at": dt.datetime(2026, 12, 18, 10, 0, tzinfo=UTC),
    }


def issued_events(notifications) -> list[dict]:
    with notifications.factory() as session:
        rows = session.scalars(select(Outbox).where(Outbox.routing_key == "certificate.issued").order_by(Outbox.id))
        return [json.loads(row.body) for row in rows]


def page(client, certificate_id: str, headers: dict | None = None):
    return client.get(f"/certificates/{certificate_id}", headers=headers or {})


def test_a_new_certificate_verifies_as_valid_with_the_minimum_of_personal_data(notifications):
    notifications.publish("attendance.certified", certified())
    client = notifications.client()
    answer = page(client, FIRST, JSON)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["state"] == "valid" and body["holder"] == "Anna1 B."
    assert body["event"]["title"]["it"] == "Bilancio partecipativo" and body["hours"] == 3.0
    assert body["signature"]["signed"] and not body["signature"]["self_signed"]
    assert "Ufficio formazione" in body["signature"]["signer"]
    text = json.dumps(body)
    assert "Bianchi" not in text and "anna1@example.org" not in text and "Comune di Prova" not in text
    html = page(client, FIRST).get_data(as_text=True)
    assert "Attestato valido" in html and "Anna1 B." in html and "Bianchi" not in html
    english = page(client, FIRST, ENGLISH).get_data(as_text=True)
    assert "Valid certificate" in english and "Participatory budgeting" in english


def test_certificate_issued_goes_out_through_the_outbox_and_the_token_downloads_the_signed_pdf(notifications):
    notifications.publish("attendance.certified", certified())
    (envelope,) = issued_events(notifications)
    data = envelope["data"]
    schema, _ = data_schema("certificate.issued", 1)
    assert schema.validate(data) == {}
    assert data["certificate_id"] == FIRST and data["signed"] is True
    assert data["verification_url"] == f"https://eventi.example/notifications/certificates/{FIRST}"
    download = urlsplit(data["download_url"])
    client = notifications.client()
    answer = client.get(download.path.removeprefix("/notifications") + "?" + download.query)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "no-store" in answer.headers["Cache-Control"]
    assert validate(answer.data, AUTHORITY.trusting()).bottom_line
    (mail,) = notifications.mails(kind="certificate")
    assert pdf_of(mail) == answer.data  # the mail keeps attaching the same signed PDF
    assert data["verification_url"] in mail.get_body(preferencelist=("plain",)).get_content()
    assert page(client, FIRST, JSON).get_json()["pdf_sha256"] == hashlib.sha256(answer.data).hexdigest()


def test_a_wrong_or_missing_token_downloads_nothing(notifications):
    notifications.publish("attendance.certified", certified())
    client = notifications.client()
    for query in ("?token=not-the-token", "", "?token=" + "x" * 500):
        answer = client.get(f"/certificates/{FIRST}/pdf{query}", headers=JSON)
        assert answer.status_code == 404
        assert answer.get_json()["errors"] == {"query": {"token": ["No certificate for this link."]}}
    browser = client.get(f"/certificates/{FIRST}/pdf?token=nope", headers={"Accept": "text/html"})
    assert browser.status_code == 404 and "Nessun attestato per questo link." in browser.get_data(as_text=True)


def test_a_corrected_certificate_supersedes_the_earlier(notifications):
    notifications.publish("attendance.certified", certified(FIRST, minutes_attended=180))
    notifications.publish("attendance.certified", certified(SECOND, minutes_attended=200, hours_total=3.5))
    client = notifications.client()
    assert page(client, FIRST, JSON).get_json()["state"] == "superseded"
    second = page(client, SECOND, JSON).get_json()
    assert second["state"] == "valid" and second["hours"] == 3.5
    assert "Attestato sostituito" in page(client, FIRST).get_data(as_text=True)
    assert len(notifications.mails(kind="certificate")) == 2
    assert [e["data"]["certificate_id"] for e in issued_events(notifications)] == [FIRST, SECOND]


def test_the_same_certificate_id_again_issues_nothing(notifications):
    notifications.publish("attendance.certified", certified())
    notifications.publish("attendance.certified", certified(minutes_attended=200))
    assert len(notifications.mails(kind="certificate")) == 1 and len(issued_events(notifications)) == 1


@pytest.mark.parametrize(
    ("cause", "words"),
    [("organiser", "Revocato dall'organizzatore il"), ("rules", "non soddisfa più i requisiti")],
)
def test_a_revoked_certificate_says_when_and_by_whom_never_why(notifications, cause, words):
    notifications.publish("attendance.certified", certified())
    notifications.publish("certificate.revoked", revoked(cause=cause))
    client = notifications.client()
    body = page(client, FIRST, JSON).get_json()
    assert body["state"] == "revoked" and body["revoked_by"] == cause
    assert body["revoked_at"].startswith("2026-12-18")
    html = page(client, FIRST).get_data(as_text=True).replace("&#39;", "'")
    assert "Attestato revocato" in html and words in html and "18 dicembre 2026" in html
    assert "contestata" not in html and "contestata" not in json.dumps(body)


def test_erasure_makes_every_certificate_of_the_person_no_longer_available(notifications):
    notifications.publish("attendance.certified", certified(FIRST, minutes_attended=180))
    notifications.publish("attendance.certified", certified(SECOND, minutes_attended=200))
    download = urlsplit(issued_events(notifications)[-1]["data"]["download_url"])
    notifications.publish("participant.erased", golden("participant.erased"))
    client = notifications.client()
    for certificate_id in (FIRST, SECOND):
        answer = page(client, certificate_id, JSON)
        assert answer.status_code == 200
        assert answer.get_json()["state"] == "erased" and set(answer.get_json()) <= {
            "certificate_id",
            "state",
            "no_longer_available_since",
        }
    html = page(client, SECOND).get_data(as_text=True)
    assert "Attestato non più disponibile" in html and "Anna1" not in html and "Bilancio" not in html
    gone = client.get(download.path.removeprefix("/notifications") + "?" + download.query, headers=JSON)
    assert gone.status_code == 410 and "certificate_id" in gone.get_json()["errors"]["path"]
    with notifications.factory() as session:
        rows = session.scalars(select(Certificate)).all()
        assert {(r.pdf, r.holder, r.download_token_hash) for r in rows} == {(None, "", None)}
    notifications.publish("attendance.certified", certified("c3a1e7d0-5555-4e4e-9f9f-000000000003"))
    assert page(client, "c3a1e7d0-5555-4e4e-9f9f-000000000003", JSON).get_json()["state"] == "unknown"


def test_certificate_revoked_for_erasure_is_no_longer_available_not_forged(notifications):
    notifications.publish("attendance.certified", certified())
    notifications.publish("certificate.revoked", revoked(cause="erasure"))
    assert page(notifications.client(), FIRST, JSON).get_json()["state"] == "erased"


def test_an_unknown_id_is_not_found(notifications):
    client = notifications.client()
    for certificate_id in ("c3a1e7d0-5555-4e4e-9f9f-00000000ffff", "x" * 300):
        answer = page(client, certificate_id, JSON)
        assert answer.status_code == 404 and answer.get_json()["state"] == "unknown"
    html = page(client, "c3a1e7d0-5555-4e4e-9f9f-00000000ffff").get_data(as_text=True)
    assert "Attestato non trovato" in html


def test_a_revocation_that_overtakes_its_certification_keeps_the_certificate_from_being_issued(notifications):
    notifications.publish("certificate.revoked", revoked())
    notifications.publish("attendance.certified", certified())
    assert notifications.mails(kind="certificate") == [] and issued_events(notifications) == []
    body = page(notifications.client(), FIRST, JSON).get_json()
    assert body == {
        "certificate_id": FIRST,
        "state": "revoked",
        "revoked_at": "2026-12-18T10:00:00+00:00",
        "revoked_by": "organiser",
    }
    assert "Attestato revocato" in page(notifications.client(), FIRST).get_data(as_text=True)


def test_the_embedded_default_says_its_signature_is_self_signed(tmp_path):
    notifications = Notifications(tmp_path, certificate_pkcs12=self_signed_pkcs12("Eventi - prova", "Eventi"))
    notifications.publish("attendance.certified", certified())
    client = notifications.client()
    assert page(client, FIRST, JSON).get_json()["signature"]["self_signed"] is True
    html = page(client, FIRST).get_data(as_text=True)
    assert "certificato di prova autofirmato" in html
    english = page(client, FIRST, ENGLISH).get_data(as_text=True)
    assert "self-signed test certificate" in english
