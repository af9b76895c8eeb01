"""The personal agenda feed /notifications/feeds/<token>.ics: the event and
the workshops the person holds a seat in, valid for every outside parser,
with a strong ETag (304), a Last-Modified that never goes backwards,
`Cache-Control: private`, and a token that can be rotated and revoked with
the feed token or the registration's manage link."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from services.notifications.calendar.feed_tokens import feed_links
from tests.integration.notification_helpers import (
    SESSION_GUID,
    UTC,
    Notifications,
    event,
    registration,
    release,
    session_item,
    workshop,
)
from tests.validators import VALIDATORS, all_problems, strict_mode

NOW = dt.datetime(2030, 11, 20, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def notifications(tmp_path):
    notifications = Notifications(tmp_path)
    notifications.publish("event.published", event())
    notifications.publish("registration.confirmed", registration("confirmed"))
    notifications.publish("workshop.confirmed", workshop("confirmed"))
    return notifications


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(notifications, clock):
    return notifications.client(clock)


def feed_url(notifications) -> str:
    mail = notifications.mails()[0]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    (url,) = [w for w in text.split() if w.startswith("https://eventi.example/") and w.endswith(".ics")]
    return url.removeprefix(notifications.settings.public_base_url + "/notifications")


def assert_valid(ics: bytes) -> None:
    problems = all_problems(ics)
    if strict_mode():
        assert set(problems) == set(VALIDATORS)
    assert problems == {name: [] for name in problems}, problems


def test_the_confirmation_mail_links_the_feed_for_webcal_and_google(notifications):
    text = notifications.mails()[0].get_body(preferencelist=("plain",)).get_content()
    token = feed_url(notifications).split("/")[-1].removesuffix(".ics")
    links = feed_links(notifications.config, token)
    assert links["webcal"].startswith("webcal://eventi.example/notifications/feeds/")
    assert links["google"] == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Feventi.example"
        f"%2Fnotifications%2Ffeeds%2F{token}.ics"
    )
    assert links["webcal"] in text and links["google"] in text and links["https"] in text


def test_the_feed_holds_the_event_and_the_workshop_and_follows_the_calendar_rules(notifications, client):
    response = client.get(feed_url(notifications))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private"
    assert_valid(response.data)
    calendar = Calendar.from_ical(response.data)
    assert "METHOD" not in calendar and str(calendar["X-WR-CALNAME"]).startswith("La mia agenda")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.data and str(calendar["NAME"])
    uids = [str(e["UID"]) for e in calendar.events]
    assert uids == [
        "agenda-event-7b0f3c9e-1111-4a4a-9c9c-000000000001@eventi.example",
        f"agenda-session-{SESSION_GUID}@eventi.example",
    ]
    invitation_uids = {
        str(Calendar.from_ical(p.get_payload(decode=True)).events[0]["UID"])
        for m in notifications.mails()
        for p in m.walk()
        if p.get_content_type() == "text/calendar"
    }
    assert not invitation_uids & set(uids)  # feed copies never share a UID with invitations
    times = [line for line in response.data.split(b"\r\n") if line.startswith((b"DTSTART", b"DTEND"))]
    assert len(times) == 4 and all(line.endswith(b"Z") and b"TZID" not in line for line in times)  # UTC
    assert client.get(feed_url(notifications)).data == response.data  # identical bytes: ETag works


def test_an_unchanged_feed_answers_304_to_its_etag_and_to_its_date(notifications, client):
    first = client.get(feed_url(notifications))
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(feed_url(notifications), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert client.get(feed_url(notifications), headers={"If-Modified-Since": modified}).status_code == 304
    other = client.get(feed_url(notifications), headers={"If-None-Match": '"other"', "If-Modified-Since": modified})
    assert other.status_code == 200  # If-None-Match decides when present


def test_a_moved_workshop_changes_the_feed_and_its_etag_and_last_modified_moves_forward(notifications, client, clock):
    first = client.get(feed_url(notifications))
    clock.now = NOW + dt.timedelta(minutes=5)
    notifications.publish(
        "schedule.released",
        release(
            2,
            [
                session_item(
                    starts=dt.datetime(2030, 12, 14, 14, 0, tzinfo=UTC),
                    sequence=3,
                    updated_at=dt.datetime(2030, 11, 20, 9, 3, tzinfo=UTC),
                )
            ],
        ),
    )
    moved = client.get(feed_url(notifications), headers={"If-None-Match": first.headers["ETag"]})
    assert moved.status_code == 200 and moved.headers["ETag"] != first.headers["ETag"]
    assert_valid(moved.data)
    session = Calendar.from_ical(moved.data).events[1]
    assert session["SEQUENCE"] == 3 and session.decoded("DTSTART") == dt.datetime(2030, 12, 14, 14, 0, tzinfo=UTC)
    assert moved.last_modified > first.last_modified


def test_dropping_an_item_never_moves_last_modified_backwards(notifications, client, clock):
    first = client.get(feed_url(notifications))
    clock.now = NOW - dt.timedelta(days=3)  # a clock that went back
    notifications.publish("workshop.cancelled", workshop("cancelled", revision=2))
    dropped = client.get(feed_url(notifications), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert dropped.status_code == 200 and dropped.data.count(b"BEGIN:VEVENT") == 1
    assert dropped.last_modified > first.last_modified


def test_a_cancelled_workshop_stays_as_cancelled_until_it_is_over_then_drops_out(notifications, client, clock):
    notifications.publish(
        "schedule.released",
        release(
            2,
            [
                session_item(
                    starts=dt.datetime(2030, 12, 14, 10, 30, tzinfo=UTC),
                    sequence=2,
                    changes=("cancelled",),
                    status="cancelled",
                )
            ],
        ),
    )
    notifications.publish("workshop.cancelled", workshop("cancelled", revision=2))
    kept = Calendar.from_ical(client.get(feed_url(notifications)).data)
    assert [str(e["STATUS"]) for e in kept.events] == ["CONFIRMED", "CANCELLED"]
    clock.now = dt.datetime(2030, 12, 14, 12, 30, tzinfo=UTC)
    assert client.get(feed_url(notifications)).data.count(b"BEGIN:VEVENT") == 1


def test_rotating_the_token_retires_the_old_address_and_revoking_ends_it(notifications, client):
    old = feed_url(notifications)
    token = old.split("/")[-1].removesuffix(".ics")
    rotated = client.post(f"/api/v1/feeds/{token}/rotate")
    assert rotated.status_code == 200
    new = rotated.get_json()
    assert new["token"] != token and new["webcal_url"].startswith("webcal://")
    assert client.get(old).status_code == 404
    assert client.get(f"/feeds/{new['token']}.ics").status_code == 200
    assert client.delete(f"/api/v1/feeds/{new['token']}").status_code == 204
    assert client.get(f"/feeds/{new['token']}.ics").status_code == 404


def test_the_registration_manage_link_shows_rotates_and_revokes_the_feed(notifications, client):
    manage = "SECRET-1"  # the last segment of the manage_url the registration event carried
    shown = client.get(f"/api/v1/registrations/{manage}/feed")
    assert shown.status_code == 200 and shown.get_json()["url"].endswith(feed_url(notifications))
    assert client.delete(f"/api/v1/registrations/{manage}/feed").status_code == 204
    assert client.get(f"/api/v1/registrations/{manage}/feed").status_code == 404
    fresh = client.post(f"/api/v1/registrations/{manage}/feed/rotate").get_json()
    assert client.get(f"/feeds/{fresh['token']}.ics").status_code == 200
    page = client.get(f"/agenda/{manage}")
    assert page.status_code == 200 and fresh["webcal_url"].encode() in page.data
    assert client.get("/api/v1/registrations/not-a-link/feed").status_code == 404


def test_unknown_tokens_are_not_found(client):
    assert client.get("/feeds/nope.ics").status_code == 404
    assert client.get(f"/feeds/{'x' * 300}.ics").status_code == 404
