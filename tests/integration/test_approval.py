"""Moderated events: registrations wait as pending (holding a free seat),
organisers approve or reject one or many at once, and the reason of a
rejection reaches the participant through `registration.rejected`."""

from __future__ import annotations

from tests.integration.registration_support import ORGANISER, email


def moderated(desk, capacity: int = 2) -> None:
    desk.deliver(
        "event.updated",
        capacity=capacity,
        registration={"opens_at": None, "closes_at": None, "approval_required": True},
    )


def ids(desk, *tokens) -> list[str]:
    return [desk.own(t)["id"] for t in tokens]


def test_in_a_moderated_event_registrations_wait_as_pending_and_hold_a_free_seat(desk):
    moderated(desk)
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3)]
    assert [desk.own(t)["status"] for t in tokens] == ["pending"] * 3
    assert desk.listing().confirmed_count == 2  # the first two hold the seats
    assert [key for key, _ in desk.outbox()] == ["registration.pending"] * 3
    assert desk.outbox()[0][1]["manage_url"]


def test_approving_many_at_once_confirms_those_with_seats_and_queues_the_rest(desk):
    moderated(desk)
    tokens = [desk.registered(n)["token"] for n in (1, 2, 3)]
    response = desk.as_organiser("post", "/registrations/approve", json={"registration_ids": ids(desk, *tokens)})
    assert response.status_code == 200
    assert sorted(o["status"] for o in response.get_json()) == ["confirmed", "confirmed", "waitlisted"]
    assert [desk.own(t)["status"] for t in tokens] == ["confirmed", "confirmed", "waitlisted"]


def test_rejecting_with_a_reason_frees_the_held_seat_and_tells_the_participant(desk):
    moderated(desk, capacity=1)
    first, second = (desk.registered(n)["token"] for n in (1, 2))
    desk.as_organiser("post", "/registrations/approve", json={"registration_ids": ids(desk, second)})
    assert desk.own(second)["status"] == "waitlisted"
    mark = desk.mark()

    response = desk.as_organiser(
        "post",
        "/registrations/reject",
        json={"registration_ids": ids(desk, first), "reason": "Riservato ai comuni soci"},
    )

    assert response.get_json()[0]["status"] == "rejected"
    assert desk.own(first)["reason"] == "Riservato ai comuni soci"
    assert desk.own(second)["status"] == "confirmed"
    (key, data), promoted = desk.events(since=mark)[:2]
    assert (key, data["reason"], data["participant"]["email"]) == (
        "registration.rejected",
        "Riservato ai comuni soci",
        email(1),
    )
    assert promoted[0] == "registration.confirmed"


def test_a_batch_reports_each_item_and_a_refused_one_leaves_the_others_done(desk):
    moderated(desk)
    pending = desk.registered(1)["token"]
    desk.deliver("event.updated", capacity=2)  # approval no longer required
    confirmed = desk.registered(2)["token"]
    body = {"registration_ids": [*ids(desk, pending, confirmed), "no-such-id"]}
    outcomes = {
        o["registration_id"]: o for o in desk.as_organiser("post", "/registrations/approve", json=body).get_json()
    }
    assert outcomes[ids(desk, pending)[0]]["status"] == "confirmed"
    assert "not awaiting approval" in outcomes[ids(desk, confirmed)[0]]["error"]
    assert outcomes["no-such-id"]["error"]


def test_a_rejected_person_cannot_simply_register_again(desk):
    moderated(desk)
    token = desk.registered(1)["token"]
    desk.as_organiser("post", "/registrations/reject", json={"registration_ids": ids(desk, token), "reason": None})
    assert desk.register(1).status_code == 409


def test_only_the_events_owners_and_organisers_approve(desk):
    moderated(desk)
    body = {"registration_ids": ids(desk, desk.registered(1)["token"])}
    assert desk.client.post(f"{ORGANISER}/registrations/approve", json=body).status_code == 401
    assert desk.as_organiser("post", "/registrations/approve", role="checkin", json=body).status_code == 403
    elsewhere = desk.client.post(
        f"{ORGANISER}/registrations/approve", json=body, headers=desk.headers("owner", organisation="another-org")
    )
    assert elsewhere.status_code == 404  # another organisation's event answers as no event
    admin = desk.client.post(f"{ORGANISER}/registrations/approve", json=body, headers=desk.headers(None, admin=True))
    assert admin.status_code == 200


def test_an_empty_or_oversized_batch_is_a_422(desk):
    assert desk.as_organiser("post", "/registrations/approve", json={"registration_ids": []}).status_code == 422
    assert (
        desk.as_organiser(
            "post", "/registrations/reject", json={"registration_ids": ["x"], "reason": "r" * 1001}
        ).status_code
        == 422
    )
