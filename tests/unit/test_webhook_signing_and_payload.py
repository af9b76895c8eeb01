"""The pure parts of webhooks: the signature, the removal of secrets from
every golden event, the type patterns, the back-off table and the notice
mail in both languages."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from services.notifications.mail.render import LANGUAGES, render_notice
from services.notifications.webhooks.event_types import matches
from services.notifications.webhooks.payload import envelope_body, without_secrets
from services.notifications.webhooks.sending import BACKOFF, JITTER, retry_delay
from services.notifications.webhooks.signing import new_secret, signature, signed_headers
from shared.envelope import parse_envelope

GOLDEN = Path(__file__).parent / "golden"


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body_in_hex():
    body = b'{"type":"event.published"}'
    expected = hmac.new(b"whsec_abc", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature("whsec_abc", 1700000000, body) == f"v1={expected}"
    headers = signed_headers("whsec_abc", "d-1", 1700000000, body)
    assert headers == {
        "Eventi-Webhook-Id": "d-1",
        "Eventi-Webhook-Timestamp": "1700000000",
        "Eventi-Webhook-Signature": f"v1={expected}",
    }
    assert signature("whsec_abc", 1700000001, body) != headers["Eventi-Webhook-Signature"]


def test_secrets_are_new_each_time_and_long():
    first, second = new_secret(), new_secret()
    assert first != second and first.startswith("whsec_") and len(first) >= 48


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_no_golden_event_keeps_a_manage_link_join_link_or_online_room(path):
    envelope = parse_envelope(path.read_text("utf-8"))
    body = json.loads(envelope_body(envelope))
    assert body["id"] == envelope.id and body["type"] == envelope.type

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("manage_url", "join_url", "accept_url"):
                    assert item is None
                if key == "online" and not isinstance(item, list):
                    assert item is None
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body)
    sent = envelope_body(envelope)
    assert "SECRET" not in sent and "TOKEN" not in sent, "a secret of the golden sample would reach receivers"


def test_online_rooms_go_at_any_depth_and_the_changelog_list_stays():
    room = {"platform": "zoom", "join_url": "https://zoom.example/j/1", "passcode": "p"}
    data = {"online": room, "sessions": [{"online": room}], "changelog": {"online": ["guid-1"]}, "title": "x"}
    assert without_secrets(data) == {
        "online": None,
        "sessions": [{"online": None}],
        "changelog": {"online": ["guid-1"]},
        "title": "x",
    }


@pytest.mark.parametrize(
    "wanted, event_type, expected",
    [
        (["registration.confirmed"], "registration.confirmed", True),
        (["registration.confirmed"], "registration.cancelled", False),
        (["registration.*"], "registration.cancelled", True),
        (["registration.*"], "workshop.confirmed", False),
        (["event.*"], "eventually.done", False),
        (["*"], "participant.erased", True),
        ([], "event.published", False),
    ],
)
def test_types_match_exactly_by_aggregate_or_all(wanted, event_type, expected):
    assert matches(wanted, event_type) is expected


def test_the_back_off_follows_the_table_with_at_most_twenty_percent_more():
    assert [retry_delay(n, lambda: 0.0) for n in range(1, 6)] == list(BACKOFF)
    assert retry_delay(1, lambda: 1.0) == dt.timedelta(minutes=1) * (1 + JITTER)
    assert retry_delay(9, lambda: 0.0) == dt.timedelta(hours=12)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_disabled_notice_renders_in_both_languages(language):
    rendered = render_notice(
        "webhook_disabled",
        language,
        url="https://crm.example.org/<eventi>",
        description="CRM",
        failures=5,
        last_error="HTTP 503",
        last_attempt="2026-12-04 19:00 (Europe/Rome)",
        endpoint_url="https://eventi.example/notifications/api/v1/organisations/o/webhooks/w",
    )
    assert {"it": "disattivato", "en": "disabled"}[language] in rendered.subject
    assert "HTTP 503" in rendered.text and "/webhooks/w" in rendered.text and "CRM" in rendered.text
    assert f'lang="{language}"' in rendered.html and "&lt;eventi&gt;" in rendered.html
