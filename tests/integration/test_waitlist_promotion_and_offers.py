"""Waiting lists with automatic promotion: confirmed at once, or offered with
a deadline that expires and passes the seat on; positions in API and page;
capacity raised, cancellations and rejections all let the next person in."""

from __future__ import annotations

import datetime as dt

from services.registration import offers
from services.registration.models import Registration
from services.registration.worker import jobs
from tests.integration.registration_support import email

UTC = dt.timezone.utc


def offer_mode(desk, hours: int = 24) -> None:
    response = desk.as_organiser("patch", "/policies", json={"promotion_mode": "offer", "offer_hours": hours})
    assert response.status_code == 200, response.get_json()


def expire(desk, *, after: dt.timedelta) -> int:
    with desk.factory() as session, session.begin():
        return offers.expire_due(session, base_url=desk.settings.public_base_url, now=dt.datetime.now(UTC) + after)


def moves(desk, since: int) -> list[tuple[str, str, str | None]]:
    return [
        (key, data["participant"]["email"], data.get("previous_status"))
        for key, data in desk.events(since=since)
        if key.startswith("registration.")
    ]


def test_the_waiting_position_is_shown_in_the_api_and_on_the_page(desk):
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3, 4)]
    assert [desk.own(t)["waitlist_position"] for t in tokens] == [None, None, 1, 2]
    page = desk.client.get(f"/r/{tokens[3]}").get_data(as_text=True)
    assert "Posizione in lista d'attesa: <strong>2</strong>" in page


def test_cancel_then_offer_then_expire_then_next_offer_then_accept(desk):
    offer_mode(desk)
    tokens = {n: desk.registered(n)["token"] for n in (1, 2, 3, 4)}  # 1, 2 confirmed; 3, 4 waiting
    mark = desk.mark()

    desk.client.post(f"/api/v1/self/{tokens[1]}/cancel")
    offered = desk.own(tokens[3])
    assert offered["status"] == "offered" and offered["offer_expires_at"]
    assert desk.own(tokens[4])["waitlist_position"] == 1
    offer_event = desk.events("registration.offered", since=mark)[0][1]
    assert offer_event["manage_url"].startswith(desk.settings.public_base_url + "/registration/r/")
    assert offer_event["offer_expires_at"]

    assert expire(desk, after=dt.timedelta(hours=1)) == 0  # not yet
    assert expire(desk, after=dt.timedelta(hours=25)) == 1
    assert desk.own(tokens[3])["status"] == "expired"
    assert desk.own(tokens[4])["status"] == "offered"

    fresh_link = desk.events("registration.offered", since=mark)[-1][1]["manage_url"].rsplit("/", 1)[1]
    accepted = desk.client.post(f"/api/v1/self/{fresh_link}/accept")  # the link in the offer mail works
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "confirmed"
    assert moves(desk, mark) == [
        ("registration.cancelled", email(1), "confirmed"),
        ("registration.offered", email(3), "waitlisted"),
        ("registration.expired", email(3), "offered"),
        ("registration.offered", email(4), "waitlisted"),
        ("registration.confirmed", email(4), "offered"),
    ]
    assert desk.listing().confirmed_count == 2


def test_an_offered_seat_counts_against_the_capacity_until_it_is_answered(desk):
    offer_mode(desk)
    tokens = {n: desk.registered(n)["token"] for n in (1, 2, 3)}
    desk.client.post(f"/api/v1/self/{tokens[1]}/cancel")
    assert desk.registered(4)["registration"]["status"] == "waitlisted"  # the seat is on offer to 3
    assert desk.listing().confirmed_count == 2


def test_declining_an_offer_passes_it_on_at_once(desk):
    offer_mode(desk)
    tokens = {n: desk.registered(n)["token"] for n in (1, 2, 3, 4)}
    desk.client.post(f"/api/v1/self/{tokens[1]}/cancel")
    desk.client.post(f"/api/v1/self/{tokens[3]}/cancel")
    assert desk.own(tokens[4])["status"] == "offered"


def test_an_offer_past_its_deadline_cannot_be_accepted(desk):
    offer_mode(desk, hours=1)
    tokens = {n: desk.registered(n)["token"] for n in (1, 2, 3)}
    desk.client.post(f"/api/v1/self/{tokens[1]}/cancel")
    with desk.factory() as session, session.begin():
        registration = session.query(Registration).filter_by(status="offered").one()
        registration.offer_expires_at = dt.datetime.now(UTC) - dt.timedelta(seconds=1)
    response = desk.client.post(f"/api/v1/self/{tokens[3]}/accept")
    assert response.status_code == 409 and response.get_json()["errors"]["json"]["status"]


def test_accepting_without_an_offer_is_a_409(desk):
    token = desk.registered(1)["token"]
    assert desk.client.post(f"/api/v1/self/{token}/accept").status_code == 409


def test_the_worker_job_expires_due_offers_in_its_own_transactions(desk):
    offer_mode(desk, hours=1)
    tokens = {n: desk.registered(n)["token"] for n in (1, 2, 3)}
    desk.client.post(f"/api/v1/self/{tokens[1]}/cancel")
    with desk.factory() as session, session.begin():
        session.query(Registration).filter_by(status="offered").one().offer_expires_at = dt.datetime(
            2000, 1, 1, tzinfo=UTC
        )
    assert jobs.expire_offers(desk.factory, base_url=desk.settings.public_base_url) == 1
    assert desk.own(tokens[3])["status"] == "expired"


def test_an_offer_never_outlives_the_start_of_the_event(desk):
    offer_mode(desk, hours=24 * 30)
    tokens = {n: desk.registered(n)["token"] for n in (1, 2, 3)}
    desk.client.post(f"/api/v1/self/{tokens[1]}/cancel")
    deadline = dt.datetime.fromisoformat(desk.own(tokens[3])["offer_expires_at"])
    assert deadline == desk.starts_at


def test_raising_the_capacity_in_offer_mode_sends_offers_in_order(desk):
    offer_mode(desk)
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3, 4, 5)]
    desk.deliver("event.updated", capacity=4)
    assert [desk.own(t)["status"] for t in tokens] == ["confirmed", "confirmed", "offered", "offered", "waitlisted"]


def test_an_organiser_cancellation_frees_the_seat_and_tells_the_reason(desk):
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3)]
    first = desk.own(tokens[0])["id"]
    mark = desk.mark()
    response = desk.as_organiser("post", f"/registrations/{first}/cancel", json={"reason": "Posto riassegnato"})
    assert response.status_code == 200 and response.get_json()["reason"] == "Posto riassegnato"
    assert desk.own(tokens[2])["status"] == "confirmed"
    assert desk.events("registration.cancelled", since=mark)[0][1]["reason"] == "Posto riassegnato"


def test_the_organiser_sees_the_waiting_lists_in_order(desk):
    for n in (1, 2, 3, 4):
        desk.registered(n)
    lists = desk.as_organiser("get", "/waitlists").get_json()
    assert [(e["position"], e["email"]) for e in lists["event"]] == [(1, email(3)), (2, email(4))]
