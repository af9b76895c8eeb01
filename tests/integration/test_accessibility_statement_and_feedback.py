"""The accessibility statement has the sections of AgID's model in Italian
and English; its feedback form mails the accessibility contact through the
ordinary delivery log; an invalid report is answered 422 naming the field;
a client address that sends too many is refused with 429 (with a control:
another address still gets through). On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.integration.notification_helpers import ORGANIZER, Notifications
from tests.integration.registration_support import post_form

SECTIONS_IT = (
    "Stato di conformità",
    "Contenuti non accessibili",
    "Redazione della dichiarazione",
    "Meccanismo di feedback e recapiti",
    "Modalità di attuazione",
    "Informazioni sull'ente e sul sito",
)
SECTIONS_EN = (
    "Compliance status",
    "Content that is not accessible",
    "Preparation of this statement",
    "Feedback and contact information",
    "Enforcement procedure",
    "About the organisation and the site",
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Notifications(tmp_path, database_url=url, feedback_rate_limit="2 per hour", accessibility_contact=ORGANIZER)


def report(client, data: dict, **kwargs):
    """The form as a browser posts it, with the statement page's CSRF token."""
    return post_form(client, "/accessibility/feedback", data, page="/accessibility", **kwargs)


def test_the_statement_has_the_sections_of_the_agid_model_in_both_languages(notifications):
    client = notifications.client()
    italian = client.get("/accessibility").get_data(as_text=True)
    assert all(f"<h2>{s}</h2>" in italian.replace("&#39;", "'") for s in SECTIONS_IT)
    assert "axe-core" in italian and "https://form.agid.gov.it/" in italian and ORGANIZER in italian
    english = client.get("/accessibility", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert all(f"<h2>{s}</h2>" in english for s in SECTIONS_EN), english
    assert '<html lang="en"' in english


def test_a_report_reaches_the_accessibility_contact_by_mail(notifications):
    client = notifications.client()
    sent = report(
        client,
        {"message": "Il modulo d'iscrizione non si legge con NVDA.", "email": "anna@example.org", "page": "/x"},
    )
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/accessibility/thanks")
    assert client.get(sent.headers["Location"]).status_code == 200
    (delivery,) = notifications.deliveries(kind="accessibility_feedback")
    assert delivery.recipient == ORGANIZER and delivery.status == "pending" and delivery.event_id is None
    (mail,) = notifications.mails(kind="accessibility_feedback")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "non si legge con NVDA" in text and "anna@example.org" in text and "/x" in text
    assert '<html lang="it">' in mail.get_body(preferencelist=("html",)).get_content()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": "   "}, "message"),
        ({"message": "x" * 5001}, "message"),
        ({"message": "ok", "email": "not an address"}, "email"),
        ({"message": "ok", "page": "/a\nb"}, "page"),
    ],
)
def test_an_invalid_report_is_answered_422_naming_the_field(notifications, data, field):
    page = report(notifications.client(), data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and f'id="{field}-error"' in html and 'aria-invalid="true"' in html
    assert not notifications.deliveries(kind="accessibility_feedback")


def test_too_many_reports_from_one_address_are_refused_but_others_still_get_through(notifications):
    client = notifications.client()
    text = {"message": "Un ostacolo."}
    for _ in range(2):
        assert report(client, text).status_code == 303
    refused = report(client, text)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    other = report(client, text, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 303  # the control: the limit is per address, not for everyone
    assert len(notifications.deliveries(kind="accessibility_feedback")) == 3


def test_reports_go_to_the_organizer_address_unless_configured_otherwise(tmp_path):
    from services.notifications.config import load_config
    from tests.factories import settings_for

    settings = settings_for("notifications", tmp_path, organizer_email="eventi@comune.example.it")
    assert load_config(settings, env={}).accessibility_contact == "eventi@comune.example.it"
    configured = load_config(settings, env={"ACCESSIBILITY_CONTACT_EMAIL": "a11y@comune.example.it"})
    assert configured.accessibility_contact == "a11y@comune.example.it"
