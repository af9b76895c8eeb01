"""Erasure: by the participant through the link, by an organiser, or by the
retention job after the event; each publishes `participant.erased` and the
seat of an active registration goes to the next in line."""

from __future__ import annotations

import datetime as dt

from services.registration import privacy
from services.registration.models import Registration
from services.registration.worker import jobs
from tests.integration.registration_support import email

UTC = dt.timezone.utc


def stored(desk, registration_id: str) -> Registration:
    with desk.factory() as session:
        return session.get(Registration, registration_id)


def test_a_participant_erases_their_registration_through_the_link(desk):
    tokens = [desk.registered(n, role="Sindaca")["token"] for n in (1, 2, 3)]
    registration_id = desk.own(tokens[0])["id"]
    mark = desk.mark()

    assert desk.client.post(f"/api/v1/self/{tokens[0]}/erase").status_code == 204

    assert desk.client.get(f"/api/v1/self/{tokens[0]}").status_code == 404  # the link is dead
    row = stored(desk, registration_id)
    assert (row.first_name, row.last_name, row.role, row.answers, row.status) == ("", "", "", {}, "cancelled")
    assert email(1) not in row.email and row.erased_at
    assert desk.own(tokens[2])["status"] == "confirmed"  # the seat went on
    keys = [key for key, _ in desk.events(since=mark)]
    assert keys[0] == "registration.cancelled" and "participant.erased" in keys
    erased = desk.events("participant.erased")[0][1]
    assert (erased["registration_id"], erased["email"], erased["reason"]) == (registration_id, email(1), "request")


def test_an_organiser_erases_a_registration_now(desk):
    token = desk.registered(1)["token"]
    registration_id = desk.own(token)["id"]
    assert desk.as_organiser("delete", f"/registrations/{registration_id}").status_code == 204
    assert desk.as_organiser("get", f"/registrations/{registration_id}").status_code == 404
    assert desk.events("participant.erased")[0][1]["reason"] == "organiser"
    assert desk.as_organiser("get", "/registrations").get_json()["total"] == 0


def test_the_retention_job_anonymises_events_past_their_retention_period_only(desk):
    desk.registered(1)
    desk.as_organiser("patch", "/policies", json={"retention_days": 30})
    with desk.factory() as session, session.begin():
        assert (
            privacy.retention_sweep(
                session, base_url=desk.settings.public_base_url, now=desk.event["ends_at"] + dt.timedelta(days=29)
            )
            == 0
        )
    with desk.factory() as session, session.begin():
        assert (
            privacy.retention_sweep(
                session, base_url=desk.settings.public_base_url, now=desk.event["ends_at"] + dt.timedelta(days=31)
            )
            == 1
        )
    (event,) = desk.events("participant.erased")
    assert event[1]["reason"] == "retention"
    assert desk.events("registration.cancelled") == []  # an event in the past: no cancellation mails
    assert desk.listing().anonymised_at is not None


def test_the_worker_job_runs_the_retention_sweep(desk):
    desk.registered(1)
    desk.deliver(
        "event.updated",
        starts_at=dt.datetime(2020, 1, 1, 9, tzinfo=UTC),
        ends_at=dt.datetime(2020, 1, 1, 13, tzinfo=UTC),
    )
    assert jobs.anonymise_expired(desk.factory, base_url=desk.settings.public_base_url) == 1
    assert jobs.anonymise_expired(desk.factory, base_url=desk.settings.public_base_url) == 0


def test_erased_people_are_left_out_of_lists_and_exports(desk):
    token = desk.registered(1)["token"]
    desk.registered(2)
    desk.client.post(f"/api/v1/self/{token}/erase")
    csv_text = desk.as_organiser("get", "/export.csv").get_data(as_text=True)
    assert email(1) not in csv_text and email(2) in csv_text
