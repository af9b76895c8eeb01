"""participant.erased: the delivery log keeps statuses and Message-IDs but
loses addresses, subjects and content; a mail still waiting goes out first
and then loses them; the feed token is revoked and the manage link forgotten."""

from __future__ import annotations

import pytest

from services.notifications.mail.smtp import SmtpTarget, send_due
from services.notifications.models import ERASED_ADDRESS, Attendee
from tests.integration.notification_helpers import Notifications, golden, registration, workshop
from tests.integration.smtp_server import SmtpServer


@pytest.fixture
def notifications(tmp_path):
    notifications = Notifications(tmp_path)
    notifications.publish("registration.confirmed", registration("confirmed", n=2))
    notifications.publish("workshop.confirmed", workshop("confirmed", n=2))
    return notifications


def erased(n: int = 2) -> dict:
    data = golden("participant.erased")
    data.update(registration_id=f"0d6c7a52-2222-4b4b-8d8d-{n:012d}", email=f"person{n}@example.org")
    return data


def test_sent_mails_lose_their_personal_data_and_keep_their_status(notifications):
    with SmtpServer() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 2
    notifications.publish("participant.erased", erased())
    for delivery in notifications.deliveries():
        assert delivery.status == "sent" and delivery.message_id
        assert (delivery.recipient, delivery.subject, delivery.raw) == (ERASED_ADDRESS, "(erased)", b"")
    with notifications.factory() as session:
        person = session.get(Attendee, erased()["registration_id"])
        assert person.erased_at and "person2" not in person.email and person.first_name == ""


def test_a_waiting_cancellation_still_goes_out_then_is_erased(notifications):
    notifications.publish("registration.cancelled", registration("cancelled", n=2, revision=2))
    notifications.publish("participant.erased", erased())
    assert all(d.raw for d in notifications.deliveries())  # nothing sent yet: kept to send
    with SmtpServer() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 3
    assert [m["To"].addresses[0].addr_spec for m in smtp.recorder.received] == ["person2@example.org"] * 3
    assert {d.recipient for d in notifications.deliveries()} == {ERASED_ADDRESS}


def test_the_feed_and_the_manage_link_stop_working(notifications):
    client = notifications.client()
    feed = client.get("/api/v1/registrations/SECRET-2/feed").get_json()
    assert client.get(f"/feeds/{feed['token']}.ics").status_code == 200
    notifications.publish("participant.erased", erased())
    assert client.get(f"/feeds/{feed['token']}.ics").status_code == 404
    assert client.get("/api/v1/registrations/SECRET-2/feed").status_code == 404
    assert client.post("/api/v1/registrations/SECRET-2/feed/rotate").status_code == 404


def test_other_participants_are_untouched(notifications):
    notifications.publish("registration.confirmed", registration("confirmed", n=3))
    notifications.publish("participant.erased", erased(2))
    kept = [d for d in notifications.deliveries() if d.recipient == "person3@example.org"]
    assert len(kept) == 1 and kept[0].raw


def test_a_cancellation_arriving_after_the_erasure_still_takes_the_event_out_of_the_calendar(notifications):
    # Both are published in one transaction, but the bus may swap them
    # (filesystem:// orders by millisecond then a random uuid; retries reorder).
    notifications.publish("participant.erased", erased())
    notifications.publish("registration.cancelled", registration("cancelled", n=2, revision=2))
    notifications.publish("registration.cancelled", registration("cancelled", n=2, revision=2))  # repeated news
    with SmtpServer() as smtp:
        assert send_due(notifications.factory, SmtpTarget.from_url(smtp.url)) == 3
    cancels = [
        m
        for m in smtp.recorder.received
        if any(p.get_param("method") == "CANCEL" for p in m.walk() if p.get_content_type() == "text/calendar")
    ]
    assert [m["To"].addresses[0].addr_spec for m in cancels] == ["person2@example.org"]
    assert {(d.recipient, d.subject, d.raw) for d in notifications.deliveries()} == {(ERASED_ADDRESS, "(erased)", b"")}
    with notifications.factory() as session:
        assert session.get(Attendee, erased()["registration_id"]).email != "person2@example.org"


def test_news_arriving_after_an_erasure_of_an_unknown_registration_brings_no_data_back(tmp_path):
    fresh = Notifications(tmp_path)
    fresh.publish("participant.erased", erased(n=5))
    fresh.publish("registration.confirmed", registration("confirmed", n=5))
    with fresh.factory() as session:
        assert session.get(Attendee, erased(n=5)["registration_id"]).email != "person5@example.org"
    assert [d.recipient for d in fresh.deliveries()] == []
