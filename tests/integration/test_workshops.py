"""Workshops from released schedules: chosen at registration or later, each
with its seats and FIFO line; two chosen workshops may not overlap; a
cancelled session cancels its sign-ups; every seat change is an event."""

from __future__ import annotations

import datetime as dt

from tests.integration.registration_support import email, programme_session

HOUR = dt.timedelta(hours=1)


def workshops(desk, seats: int = 1):
    """Three workshops: A and B at the same time, C after them."""
    start = desk.starts_at
    desk.release(
        programme_session(11, start, seat_limit=seats, title="A"),
        programme_session(12, start + HOUR / 2, seat_limit=seats, title="B"),
        programme_session(13, start + 2 * HOUR, seat_limit=seats, title="C"),
        programme_session(14, start, requires_signup=False, seat_limit=None, title="Plenaria"),
    )


def seats(desk, token) -> dict[int, str]:
    return {w["session_id"]: w["status"] for w in desk.own(token)["workshops"]}


def test_released_workshops_appear_in_the_form_with_their_seats(desk):
    workshops(desk, seats=5)
    form = desk.client.get(f"/api/v1/events/{desk.event['slug']}/form").get_json()
    assert [(w["session_id"], w["seats_left"]) for w in form["workshops"]] == [(11, 5), (12, 5), (13, 5)]


def test_workshops_chosen_at_registration_get_seats_then_a_line(desk):
    workshops(desk)
    first = desk.registered(1, workshops=[11, 13])
    second = desk.registered(2, workshops=[11])
    assert seats(desk, first["token"]) == {11: "confirmed", 13: "confirmed"}
    assert desk.own(second["token"])["workshops"][0]["waitlist_position"] == 1
    kinds = [
        (key, data["participant"]["email"], data["session"]["session_id"])
        for key, data in desk.events("workshop.confirmed", "workshop.waitlisted")
    ]
    assert kinds == [
        ("workshop.confirmed", email(1), 11),
        ("workshop.confirmed", email(1), 13),
        ("workshop.waitlisted", email(2), 11),
    ]


def test_two_overlapping_workshops_are_refused_with_a_422_naming_workshops(desk):
    workshops(desk, seats=5)
    response = desk.register(1, workshops=[11, 12])
    assert response.status_code == 422 and "overlap" in response.get_json()["errors"]["json"]["workshops"][0]
    token = desk.registered(1, workshops=[11])["token"]
    changed = desk.client.patch(f"/api/v1/self/{token}", json={"workshops": [11, 12]})
    assert changed.status_code == 422
    assert seats(desk, token) == {11: "confirmed"}


def test_a_release_that_moves_a_chosen_workshop_onto_another_is_shown_and_must_be_resolved(desk):
    """Both seats stay (the choice was valid), the API and the personal page
    say which workshops now overlap, and keeping both is refused."""
    workshops(desk, seats=5)
    token = desk.registered(1, workshops=[11, 13])["token"]
    assert {w["session_id"]: w["overlaps_with"] for w in desk.own(token)["workshops"]} == {11: [], 13: []}
    desk.release(programme_session(13, desk.starts_at + HOUR / 2, seat_limit=5, title="C"))  # now beside A

    assert {w["session_id"]: w["overlaps_with"] for w in desk.own(token)["workshops"]} == {11: [13], 13: [11]}
    assert seats(desk, token) == {11: "confirmed", 13: "confirmed"}
    page = desk.client.get(f"/r/{token}").get_data(as_text=True)
    assert page.count("ora si sovrappone a") == 2 and "si sovrappone a C" in page
    english = desk.client.get(f"/r/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "it now overlaps A" in english
    assert desk.client.patch(f"/api/v1/self/{token}", json={"workshops": [11, 13]}).status_code == 422
    assert desk.client.patch(f"/api/v1/self/{token}", json={"workshops": [11]}).status_code == 200
    assert [w["overlaps_with"] for w in desk.own(token)["workshops"]] == [[]]


def test_a_session_that_is_not_an_open_workshop_of_the_event_is_refused(desk):
    workshops(desk)
    for wrong in ([14], [999]):
        response = desk.register(1, workshops=wrong)
        assert response.status_code == 422 and response.get_json()["errors"]["json"]["workshops"]


def test_changing_choices_through_the_link_frees_the_seat_for_the_next_in_line(desk):
    workshops(desk)
    first = desk.registered(1, workshops=[11])
    second = desk.registered(2, workshops=[11])
    response = desk.client.patch(f"/api/v1/self/{first['token']}", json={"workshops": [12]})
    assert response.status_code == 200
    assert seats(desk, first["token"]) == {12: "confirmed"}
    assert seats(desk, second["token"]) == {11: "confirmed"}


def test_cancelling_the_registration_gives_its_workshop_seats_to_the_line(desk):
    workshops(desk)
    first = desk.registered(1, workshops=[11])
    second = desk.registered(2, workshops=[11])
    mark = desk.mark()
    desk.client.post(f"/api/v1/self/{first['token']}/cancel")
    assert seats(desk, second["token"]) == {11: "confirmed"}
    assert [
        (k, d["participant"]["email"]) for k, d in desk.events("workshop.cancelled", "workshop.confirmed", since=mark)
    ] == [("workshop.cancelled", email(1)), ("workshop.confirmed", email(2))]


def test_a_waitlisted_participant_holds_no_workshop_seat_until_confirmed_in_the_event(desk):
    workshops(desk)
    tokens = [desk.registered(n, workshops=[13])["token"] for n in (1, 2, 3)]  # capacity 2: 3 waits
    assert seats(desk, tokens[2]) == {13: "requested"}
    desk.client.patch(f"/api/v1/self/{tokens[0]}", json={"workshops": []})  # 1 leaves workshop 13
    desk.client.post(f"/api/v1/self/{tokens[1]}/cancel")  # 3 moves up, and gets 13's free seat
    assert desk.own(tokens[2])["status"] == "confirmed"
    assert seats(desk, tokens[2]) == {13: "confirmed"}


def test_a_cancelled_session_ends_its_sign_ups_and_tells_the_participants(desk):
    workshops(desk)
    token = desk.registered(1, workshops=[11])["token"]
    mark = desk.mark()
    desk.release(programme_session(11, desk.starts_at, seat_limit=1, title="A", status="cancelled"))
    assert seats(desk, token) == {}
    (event,) = desk.events("workshop.cancelled", since=mark)
    assert event[1]["reason"] == "the session was cancelled" and event[1]["session"]["status"] == "cancelled"


def test_a_raised_seat_limit_in_a_new_release_promotes_the_line(desk):
    workshops(desk)
    desk.registered(1, workshops=[11])
    second = desk.registered(2, workshops=[11])
    desk.release(programme_session(11, desk.starts_at, seat_limit=2, title="A"))
    assert seats(desk, second["token"]) == {11: "confirmed"}


def test_an_older_release_of_a_session_is_ignored(desk):
    workshops(desk)
    desk.release_number = 0  # the next release is version 1 again: stale for sessions set by v1
    desk.release(programme_session(11, desk.starts_at, seat_limit=50, title="Vecchio"))
    form = desk.client.get(f"/api/v1/events/{desk.event['slug']}/form").get_json()
    assert form["workshops"][0]["title"]["it"] == "A" and form["workshops"][0]["seat_limit"] == 1


def test_workshop_events_carry_the_session_for_a_calendar_invitation(desk):
    workshops(desk)
    desk.registered(1, workshops=[13])
    ((_, data),) = desk.events("workshop.confirmed")
    assert data["session"]["title"]["it"] == "C" and data["session"]["room"] == "Aula 1"
    assert data["event"]["slug"] == desk.event["slug"] and data["participant"]["email"] == email(1)


def test_the_organiser_sees_each_workshops_line(desk):
    workshops(desk)
    desk.registered(1, workshops=[11])
    desk.registered(2, workshops=[11])
    lines = desk.as_organiser("get", "/waitlists").get_json()["workshops"]
    assert [(line["session_id"], [e["email"] for e in line["waiting"]]) for line in lines] == [
        (11, [email(2)]),
        (12, []),
        (13, []),
    ]
