"""The webhook pages on SQLite and PostgreSQL, CSRF on, against a real HTTP
receiver: an owner creates an endpoint through a plain form and sees its
secret once, switches it off and on, rotates the secret (shown once again),
sends a test ping whose outcome shows in the delivery log in words, and
deletes it after a confirmation; a retry's next attempt is told in Rome's
time; bad input is shown beside its field and kept; a form without its
token, another organisation and another role are refused."""

from __future__ import annotations

import re
from html import unescape

import pytest

from services.notifications.app import create_app
from services.notifications.webhooks.sending import send_due_webhooks
from shared.auth import Organiser, ensure_keypair, issue_token
from shared.formatting import format_moment
from shared.web.auth import COOKIE
from shared.web.i18n import COOKIE as LANGUAGE
from tests.integration.notification_helpers import ORGANISATION, Notifications, event, registration
from tests.integration.scheduling_support import csrf_token
from tests.integration.test_webhooks_are_signed_retried_and_disabled import Receiver

OTHER = "b2c3d4e5-0000-4000-8000-00000000000b"
PAGE = f"/organiser/organisations/{ORGANISATION}/webhooks"
SECRET = re.compile(r"whsec_[A-Za-z0-9_\-]+")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Notifications(tmp_path, database_url=database_url, webhooks_allow_http=True)


def browser(service: Notifications, roles: dict | None = None, *, admin: bool = False, **options):
    """A client of the notifications app with CSRF on, logged in by the organiser cookie."""
    ensure_keypair(service.settings.jwt_private_key_path, service.settings.jwt_public_key_path)
    app = create_app(
        {
            "SETTINGS": service.settings,
            "NOTIFY_CONFIG": service.config.with_options(**options),
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
        }
    )
    client = app.test_client()
    organiser = Organiser(
        "account-1", "organiser@example.org", admin, {ORGANISATION: "owner"} if roles is None else roles
    )
    client.set_cookie(COOKIE, issue_token(service.settings.jwt_private_key_path.read_bytes(), organiser))
    return client


def submit(client, page: str, data: dict, action: str | None = None):
    """GET the page, then POST `data` with its CSRF token to `action` (default: the page)."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(action or page, data={**data, "csrf_token": token})


def create(client, url: str, types: list[str], **extra) -> tuple[str, str]:
    """Through the form: the new endpoint's page path and the secret the answer shows."""
    answer = submit(client, PAGE, {"url": url, "event_types": types, **extra})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 201, html
    assert "no-store" in answer.headers["Cache-Control"]
    path = re.search(rf'href="({PAGE}/[0-9a-f-]{{36}})"', html).group(1)
    return path, SECRET.search(html).group(0)


def text_of(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return page.get_data(as_text=True)


def test_an_owner_creates_an_endpoint_sees_the_secret_once_and_manages_it(notifications):
    client = browser(notifications)
    form = text_of(client, PAGE)
    for choice in ('value="*"', 'value="registration.*"', 'value="registration.confirmed"', 'value="event.cancelled"'):
        assert choice in form
    assert 'title="registration.confirmed">Iscrizione confermata</label>' in form  # in words
    with Receiver([204]) as receiver:
        endpoint, secret = create(
            client, receiver.url, ["registration.*", "event.cancelled"], description="CRM della segreteria"
        )
        listed = text_of(client, PAGE)
        assert receiver.url in listed and "CRM della segreteria" in listed and "Attivo" in listed
        assert "Tutti: Iscrizioni" in listed and "Evento annullato" in listed  # the types in words
        assert secret not in listed and secret not in text_of(client, endpoint)

        switched = submit(client, endpoint, {}, action=f"{endpoint}/disable")
        assert switched.status_code == 303
        assert "Disattivato da un organizzatore" in text_of(client, endpoint)
        assert submit(client, endpoint, {}, action=f"{endpoint}/enable").status_code == 303
        assert "Attivo" in text_of(client, endpoint)

        rotated = submit(client, endpoint, {}, action=f"{endpoint}/rotate-secret")
        assert rotated.status_code == 200 and "no-store" in rotated.headers["Cache-Control"]
        new_secret = SECRET.search(rotated.get_data(as_text=True)).group(0)
        assert new_secret != secret and new_secret not in text_of(client, endpoint)

        assert submit(client, endpoint, {}, action=f"{endpoint}/ping").status_code == 303
        assert "In coda" in text_of(client, endpoint)
        assert send_due_webhooks(notifications.factory, notifications.config) == 1
    (ping,) = receiver.received
    assert b'"webhook.ping"' in ping.body
    log = text_of(client, endpoint)
    assert "Consegnata" in log and "HTTP 204" in log and "webhook.ping" in log

    asked = text_of(client, f"{endpoint}/delete")
    assert "Eliminare il webhook?" in asked and text_of(client, endpoint)  # asking deletes nothing
    deleted = submit(client, f"{endpoint}/delete", {})
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith(PAGE)
    assert client.get(endpoint).status_code == 404
    assert receiver.url not in text_of(client, PAGE)


def test_a_failed_delivery_shows_its_answer_and_its_next_attempt_in_rome_time(notifications):
    client = browser(notifications)
    with Receiver([500]) as receiver:
        endpoint, _secret = create(client, receiver.url, ["registration.*"])
        notifications.publish("event.published", event())
        notifications.publish("registration.confirmed", registration("confirmed"))
        assert send_due_webhooks(notifications.factory, notifications.config) == 1
    english = browser(notifications)
    english.set_cookie(LANGUAGE, "en")
    for page, lang, queued in ((client, "it", "In coda"), (english, "en", "Queued")):
        log = text_of(page, endpoint)
        assert queued in log and "HTTP 500" in log and "registration.confirmed" in log
        (next_attempt,) = re.findall(r'data-label="(?:Prossimo tentativo|Next attempt)">([^<]+)<', log)
        assert next_attempt == format_moment(_next_attempt(notifications), "Europe/Rome", lang)
    assert "Consecutive failures" in text_of(english, PAGE)


def _next_attempt(notifications):
    from sqlalchemy import select

    from services.notifications.models import WebhookDelivery

    with notifications.factory() as session:
        return session.scalars(select(WebhookDelivery.next_attempt_at)).one()


def test_bad_input_is_shown_beside_its_field_and_kept(notifications):
    client = browser(notifications, webhooks_allow_http=False)
    refused = submit(client, PAGE, {"url": "http://crm.example.org/eventi", "event_types": ["registration.*"]})
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422
    assert re.search(r'id="url"[^>]*aria-invalid="true"', html) and "L'indirizzo deve iniziare con https://" in html
    assert 'value="http://crm.example.org/eventi"' in html
    assert re.search(r'value="registration\.\*"\s+checked', html)  # the choice is kept

    no_types = submit(client, PAGE, {"url": "https://crm.example.org/eventi", "description": "CRM"})
    html = no_types.get_data(as_text=True)
    assert no_types.status_code == 422 and "Scegli almeno un tipo di evento." in html
    assert re.search(r'id="event-types"[^>]*aria-invalid="true"', html) and 'value="CRM"' in html

    english = browser(notifications, webhooks_allow_http=False)
    english.set_cookie(LANGUAGE, "en")
    answer = submit(english, PAGE, {"url": "https://10.1.2.3/eventi", "event_types": ["*"]})
    assert answer.status_code == 422 and "The address must be of a public server." in answer.get_data(as_text=True)
    # control: a good address goes through
    assert submit(client, PAGE, {"url": "https://crm.example.org/eventi", "event_types": ["*"]}).status_code == 201


def test_a_form_without_its_token_changes_nothing(notifications):
    client = browser(notifications)
    answer = client.post(PAGE, data={"url": "https://crm.example.org/eventi", "event_types": ["*"]})
    assert answer.status_code == 400
    assert "Nessun webhook finora." in text_of(client, PAGE)


def test_other_organisations_get_404_checkin_staff_403_and_strangers_the_login(notifications):
    owner = browser(notifications)
    endpoint, _secret = create(owner, "https://crm.example.org/eventi", ["event.*"])
    stranger = browser(notifications, {OTHER: "owner"})
    for path in (PAGE, endpoint, f"{endpoint}/delete"):
        assert stranger.get(path).status_code == 404
    token = csrf_token(text_of(stranger, f"/organiser/organisations/{OTHER}/webhooks"))
    for action in ("disable", "ping", "rotate-secret", "delete"):
        assert stranger.post(f"{endpoint}/{action}", data={"csrf_token": token}).status_code == 404
    checker = browser(notifications, {ORGANISATION: "checkin"})
    assert checker.get(PAGE).status_code == 403
    assert ORGANISATION not in text_of(checker, "/organiser/webhooks")
    anonymous = notifications.client()
    assert anonymous.get(PAGE).status_code == 302 and "/scheduling/login" in anonymous.get(PAGE).headers["Location"]
    # controls: the owner's list names the organisation, and the endpoint is still there and enabled
    assert ORGANISATION in text_of(owner, "/organiser/webhooks")
    assert "Attivo" in text_of(owner, endpoint)
    assert browser(notifications, {}, admin=True).get(endpoint).status_code == 200
