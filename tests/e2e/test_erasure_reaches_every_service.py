"""Erasure end to end, on both ways to run: a participant who erases their
registration through the secret link (or whom an organiser erases) is
forgotten by every service. Registration cancels the seat, anonymises the row
and forgets the links (services/registration/privacy.py), then publishes
`participant.erased`; notifications still delivers the CANCEL for the seat,
then scrubs address and subject from its delivery log and revokes the agenda
feed (services/notifications/erasure.py). Scheduling keeps no participant
data at all (it consumes nothing and owns only events, rooms, speakers...),
so the test only checks that the address appears nowhere in its public JSON."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tests.e2e.harness import ORGANISER, System
from tests.e2e.test_registration_slice import assert_invitation, event_body, publish_event, register

ROME = zoneinfo.ZoneInfo("Europe/Rome")
EVENT_SECONDS = 30  # deadline for anything that travels over the bus or SMTP
ERASED_ADDRESS = "erased@erased.invalid"  # what notifications' delivery log keeps (models/delivery.py)


def person(key: str, locale: str = "it") -> dict:
    return {
        "first_name": "Chiara",
        "last_name": f"Erasmi-{key}",
        "email": f"chiara.{key}@example.org",
        "organisation": "Comune di Prova",
        "locale": locale,
    }


def starts_at() -> dt.datetime:
    starts = dt.datetime.fromisoformat(event_body()["starts_at"])
    return starts.replace(tzinfo=ROME)


def open_event(system: System, organiser: dict) -> str:
    """A published event that registration has heard of (event.published over the bus)."""
    slug = publish_event(system, organiser)["slug"]
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=EVENT_SECONDS,
        message="registration to open the event",
    )
    return slug


def feed_links(system: System, manage_token: str) -> dict:
    """The agenda feed's links, once notifications has learnt the manage link
    from the registration event that carried it."""
    path = f"/notifications/api/v1/registrations/{manage_token}/feed"
    return system.wait_for(
        lambda: (r := system.get(path)).status_code == 200 and r.json(),
        timeout=EVENT_SECONDS,
        message="notifications to issue the agenda feed",
    )


def feed_path(links: dict) -> str:
    return "/notifications/feeds/" + links["url"].split("/notifications/feeds/", 1)[1]


def deliveries_of(system: System, organiser: dict, registration_id: str) -> list[dict]:
    response = system.get(
        "/notifications/api/v1/deliveries", headers=organiser, params={"registration_id": registration_id}
    )
    assert response.status_code == 200, response.text
    return response.json()


def wait_until_scrubbed(system: System, organiser: dict, registration_id: str, count: int) -> list[dict]:
    """The registration's `count` deliveries, all sent and all without address and subject."""

    def scrubbed():
        rows = deliveries_of(system, organiser, registration_id)
        done = len(rows) == count and all(
            d["status"] == "sent" and d["recipient"] == ERASED_ADDRESS and d["subject"] == "(erased)" for d in rows
        )
        return done and rows

    return system.wait_for(
        scrubbed,
        timeout=EVENT_SECONDS,
        message=f"{count} sent and scrubbed deliveries of registration {registration_id}",
    )


def assert_registration_forgot(
    system: System, organiser: dict, slug: str, token: str, who: dict, registration_id: str
) -> None:
    """The link is dead and the organiser API no longer shows the person:
    privacy.erase forgets every link (links.by_token answers 404) and the
    anonymised row, kept only for the statistics, is hidden from organisers
    (organiser.registration_of and search skip erased rows)."""
    for path in (f"/self/{token}", f"/self/{token}/data"):
        assert system.get("/registration/api/v1" + path).status_code == 404
    assert system.post(f"/registration/api/v1/self/{token}/erase").status_code == 404
    base = f"/registration/api/v1/organiser/events/{slug}/registrations"
    assert system.get(f"{base}/{registration_id}", headers=organiser).status_code == 404
    assert (
        system.http.delete(system.url(f"{base}/{registration_id}"), headers=organiser, timeout=15).status_code == 404
    )  # nothing left to erase
    found = system.get(base, headers=organiser, params={"q": who["email"]}).json()
    assert found["total"] == 0 and found["items"] == []
    listing = system.get(base, headers=organiser).text
    assert who["email"] not in listing and who["last_name"] not in listing


def assert_notifications_forgot(
    system: System, organiser: dict, who: dict, manage_token: str, feed: str, registration_id: str, mails: int
) -> None:
    rows = wait_until_scrubbed(system, organiser, registration_id, mails)
    assert {d["kind"] for d in rows} >= {"registration_cancelled"}, rows
    everything = system.get("/notifications/api/v1/deliveries", headers=organiser, params={"limit": 1000})
    assert who["email"] not in everything.text and who["last_name"] not in everything.text
    by_address = system.get(
        "/notifications/api/v1/deliveries", headers=organiser, params={"recipient": who["email"]}
    ).json()
    assert by_address == []
    assert system.get(feed).status_code in (404, 410)
    assert system.get(f"/notifications/api/v1/registrations/{manage_token}/feed").status_code in (404, 410)
    assert system.post(f"/notifications/api/v1/registrations/{manage_token}/feed/rotate").status_code in (404, 410)


def assert_scheduling_never_had_it(system: System, organiser: dict, slug: str, who: dict) -> None:
    """Scheduling holds no participant data by design (it consumes no
    registration events): the address is in none of its public documents."""
    paths = (
        f"/scheduling/api/v1/events/{slug}",
        "/scheduling/api/v1/events",
        f"/scheduling/events/{slug}/schedule.json",
        f"/scheduling/events/{slug}/schedule.ics",
    )
    for path in paths:
        response = system.get(path, headers=organiser)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert who["email"] not in response.text and who["last_name"] not in response.text, path


def test_a_participant_erasing_their_data_is_forgotten_by_every_service(system: System):
    organiser = system.login(ORGANISER)
    slug = open_event(system, organiser)
    who = person(f"self-{system.mode}")
    registered = register(system, slug, who)
    registration_id, token = registered["registration"]["id"], registered["token"]
    assert registered["registration"]["status"] == "confirmed"

    (confirmation,) = system.mail.wait_for(who["email"], 1, timeout=EVENT_SECONDS)
    uid = assert_invitation(confirmation, method="REQUEST", attendee=who, sequence=0, starts_at=starts_at())
    feed = feed_path(feed_links(system, token))
    agenda = system.get(feed)
    assert agenda.status_code == 200 and b"BEGIN:VCALENDAR" in agenda.content, agenda.text

    erased = system.post(f"/registration/api/v1/self/{token}/erase")
    assert erased.status_code == 204, erased.text
    assert system.get(f"/registration/api/v1/events/{slug}").json()["seats_left"] == 1  # the seat is free again

    # The CANCEL takes the event out of the person's calendar: it is sent
    # before notifications scrubs the address (erasure.py, mail/smtp.py).
    cancel = system.mail.wait_for(who["email"], 2, timeout=EVENT_SECONDS)[1]
    assert assert_invitation(cancel, method="CANCEL", attendee=who, sequence=1, starts_at=starts_at()) == uid

    assert_registration_forgot(system, organiser, slug, token, who, registration_id)
    assert_notifications_forgot(system, organiser, who, token, feed, registration_id, mails=2)
    assert_scheduling_never_had_it(system, organiser, slug, who)
    assert len(system.mail.to(who["email"])) == 2  # nothing more was sent after the erasure


def test_an_organiser_erasing_a_registration_is_forgotten_by_every_service(system: System):
    organiser = system.login(ORGANISER)
    slug = open_event(system, organiser)
    who = person(f"organiser-{system.mode}", locale="en")
    registered = register(system, slug, who)
    registration_id, token = registered["registration"]["id"], registered["token"]
    system.mail.wait_for(who["email"], 1, timeout=EVENT_SECONDS)
    feed = feed_path(feed_links(system, token))
    assert system.get(feed).status_code == 200

    path = f"/registration/api/v1/organiser/events/{slug}/registrations/{registration_id}"
    assert system.http.delete(system.url(path), timeout=15).status_code == 401  # organisers only
    erased = system.http.delete(system.url(path), headers=organiser, timeout=15)
    assert erased.status_code == 204, erased.text

    cancel = system.mail.wait_for(who["email"], 2, timeout=EVENT_SECONDS)[1]
    assert_invitation(cancel, method="CANCEL", attendee=who, sequence=1, starts_at=starts_at())
    assert_registration_forgot(system, organiser, slug, token, who, registration_id)
    assert_notifications_forgot(system, organiser, who, token, feed, registration_id, mails=2)
    assert_scheduling_never_had_it(system, organiser, slug, who)
