"""The delivery log API: organisers filter it by event, status and kind, see
only their organisations' events (administrators see all), and find
permanent failures there; the embedded mail page previews each mail."""

from __future__ import annotations

import pytest

from services.notifications.config import load_config
from services.notifications.mail.smtp import SmtpTarget, send_due
from shared.config import load_settings
from tests.integration.notification_helpers import ORGANISATION, Notifications, event, registration
from tests.integration.smtp_server import SmtpServer


@pytest.fixture
def notifications(tmp_path):
    notifications = Notifications(tmp_path)
    notifications.publish("event.published", event())
    notifications.publish("registration.confirmed", registration("confirmed", n=1))
    notifications.publish("registration.waitlisted", registration("waitlisted", n=2, waitlist_position=1))
    with SmtpServer(replies=["550 5.1.1 no such user"]) as smtp:
        send_due(notifications.factory, SmtpTarget.from_url(smtp.url))
    return notifications


def test_permanent_failures_are_listed_for_the_organisers_of_the_event(notifications):
    client = notifications.client()
    failed = client.get("/api/v1/deliveries?status=failed", headers=notifications.organiser_headers())
    assert failed.status_code == 200
    (row,) = failed.get_json()
    assert row["recipient"] == "person1@example.org" and row["last_error"].startswith("550")
    assert row["message_id"].startswith("<") and row["event_id"]
    everything = client.get(f"/api/v1/deliveries?event_id={row['event_id']}", headers=notifications.organiser_headers())
    assert [d["kind"] for d in everything.get_json()] == ["registration_waitlisted", "registration_confirmed"]
    by_kind = client.get("/api/v1/deliveries?kind=registration_waitlisted", headers=notifications.organiser_headers())
    assert [d["status"] for d in by_kind.get_json()] == ["sent"]


def test_organisers_of_other_organisations_see_nothing_and_strangers_are_refused(notifications):
    client = notifications.client()
    other = notifications.organiser_headers({"another-org": "owner"})
    assert client.get("/api/v1/deliveries", headers=other).get_json() == []
    admin = notifications.organiser_headers({}, admin=True)
    assert len(client.get("/api/v1/deliveries", headers=admin).get_json()) == 2
    assert client.get("/api/v1/deliveries").status_code == 401
    bad = client.get("/api/v1/deliveries?status=lost", headers=notifications.organiser_headers())
    assert bad.status_code == 422 and "status" in str(bad.get_json())
    assert ORGANISATION


def test_the_mail_page_previews_html_in_a_sandbox_and_offers_each_ics_part(notifications):
    client = notifications.client(mail_page_public=True)
    confirmed = next(d for d in notifications.deliveries() if d.kind == "registration_confirmed")
    page = client.get(f"/mail/{confirmed.id}").get_data(as_text=True)
    assert "<iframe" in page and " sandbox " in page and "srcdoc=" in page
    assert "&lt;!doctype html&gt;" in page  # the HTML is quoted into srcdoc, never inlined
    parts = [line for line in page.splitlines() if f"/mail/{confirmed.id}/parts/" in line]
    assert len(parts) == 2  # text/calendar and the .ics attachment
    calendar = client.get(parts[0].split('href="')[1].split('"')[0])
    assert calendar.status_code == 200 and calendar.data.startswith(b"BEGIN:VCALENDAR")
    assert "attachment" in calendar.headers["Content-Disposition"]
    assert notifications.client().get(f"/mail/{confirmed.id}").status_code == 404


def test_the_mail_page_is_on_only_with_mail_page_public_1():
    settings = load_settings("notifications")
    assert load_config(settings, env={"MAIL_PAGE_PUBLIC": "1"}).mail_page_public
    assert not load_config(settings, env={}).mail_page_public
    assert not load_config(settings, env={"MAIL_PAGE_PUBLIC": "yes"}).mail_page_public
