"""Organisers write to a group of an event's participants: the page shows the
mail as one recipient reads it in each language and how many it reaches;
sending keeps the message and hands the recipients to notifications in
participant.messaged events of at most 500 people, which become one mail per
person in the delivery log (kind participant_message), the text escaped in
the HTML part. Rate-limited per organiser, capped per event per hour. On
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from services.registration import participant_messages
from services.registration.participant_messages import Audience, Draft
from shared.events import data_schema
from shared.events.registration import MESSAGE_BATCH
from shared.web.auth import COOKIE
from tests.factories import settings_for
from tests.integration.notification_helpers import Notifications
from tests.integration.registration_support import SLUG, Desk, post_form

PAGE = f"/organiser/events/{SLUG}/messages"
MESSAGE = {
    "audience": "confirmed",
    "subject_it": "Cambio di sala",
    "body_it": "Ci vediamo in <b>Sala B</b>.\n\nPortate un documento.",
    "subject_en": "Room change",
    "body_en": "We meet in Room B.",
}


def as_sent(data: dict) -> dict:
    """An outbox body's data as a consumer loads it (datetimes, not strings)."""
    schema, _ = data_schema("participant.messaged", 1)
    return schema.load(data)


def logged_in(desk: Desk) -> Desk:
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    return desk


def test_the_preview_shows_each_language_and_the_number_of_people(desk):
    logged_in(desk)
    for n in (1, 2, 3):  # capacity 2: the third waits
        desk.registered(n, locale="en" if n == 2 else "it")
    page = post_form(desk.client, f"{PAGE}/preview", MESSAGE, page=PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Lo ricevono 2 persone" in html
    assert "Gentile Anna1 Bianchi," in html and "Dear Anna1 Bianchi," in html
    assert "&lt;b&gt;Sala B&lt;/b&gt;" in html and "<b>Sala B" not in html  # plain text, escaped
    assert "Room change" in html and "Invia a 2 persone" in html
    waiting = post_form(desk.client, f"{PAGE}/preview", {**MESSAGE, "audience": "waitlisted"}, page=PAGE)
    assert "Lo ricevono 1 persone" in waiting.get_data(as_text=True)


def test_a_bad_message_is_shown_beside_its_fields(desk):
    logged_in(desk)
    empty = post_form(desk.client, f"{PAGE}/preview", {"audience": "confirmed", "subject_it": ""}, page=PAGE)
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and 'id="subject_it-error"' in html and 'id="body_it-error"' in html
    half = post_form(desk.client, f"{PAGE}/preview", {**MESSAGE, "body_en": ""}, page=PAGE)
    assert half.status_code == 422 and 'id="body_en-error"' in half.get_data(as_text=True)
    nobody = post_form(desk.client, PAGE, {**MESSAGE, "action": "send"}, page=PAGE)
    assert nobody.status_code == 422 and 'id="audience-error"' in nobody.get_data(as_text=True)
    other = post_form(desk.client, f"{PAGE}/preview", {**MESSAGE, "audience": "everyone"}, page=PAGE)
    assert other.status_code == 422


def test_a_sent_message_reaches_each_person_in_their_language_through_the_delivery_log(desk, tmp_path):
    logged_in(desk)
    for n in (1, 2, 3):
        desk.registered(n, locale="en" if n == 2 else "it")
    since = desk.mark()
    sent = post_form(desk.client, PAGE, {**MESSAGE, "action": "send"}, page=PAGE)
    assert sent.status_code == 303
    history = desk.client.get(PAGE).get_data(as_text=True)
    assert "Messaggio inviato a 2 persone." in history and "Cambio di sala" in history
    events = desk.events("participant.messaged", since=since)
    assert len(events) == 1 and events[0][1]["batch"] == 1 and events[0][1]["batches"] == 1
    assert {r["participant"]["email"] for r in events[0][1]["recipients"]} == {
        "anna1@example.org",
        "anna2@example.org",
    }
    notifications = Notifications(tmp_path / "notifications")
    notifications.publish("participant.messaged", as_sent(events[0][1]))
    mails = {str(m["To"]).split("<")[-1].rstrip(">"): m for m in notifications.mails(kind="participant_message")}
    assert set(mails) == {"anna1@example.org", "anna2@example.org"}
    italian, english = mails["anna1@example.org"], mails["anna2@example.org"]
    assert italian["Subject"] == "Cambio di sala" and english["Subject"] == "Room change"
    text = italian.get_body(("plain",)).get_content()
    assert "Gentile Anna1 Bianchi," in text and "Ci vediamo in <b>Sala B</b>." in text
    html = italian.get_body(("html",)).get_content()
    assert "&lt;b&gt;Sala B&lt;/b&gt;" in html and "<b>Sala B" not in html
    assert "We meet in Room B." in english.get_body(("plain",)).get_content()
    assert "List-Unsubscribe" not in italian  # service mail about the registration


def test_only_the_english_readers_fallback_is_the_italian_text(desk, tmp_path):
    logged_in(desk)
    desk.registered(1, locale="en")
    since = desk.mark()
    italian_only = {"audience": "confirmed", "subject_it": "Avviso", "body_it": "Solo italiano.", "action": "send"}
    assert post_form(desk.client, PAGE, italian_only, page=PAGE).status_code == 303
    notifications = Notifications(tmp_path / "notifications")
    notifications.publish("participant.messaged", as_sent(desk.events("participant.messaged", since=since)[0][1]))
    (mail,) = notifications.mails(kind="participant_message")
    assert mail["Subject"] == "Avviso" and "Dear Anna1 Bianchi," in mail.get_body(("plain",)).get_content()


def test_large_groups_travel_in_batches_of_at_most_500(desk):
    people = MESSAGE_BATCH * 2 + 1
    desk.deliver("event.updated", capacity=None)
    with desk.factory() as session, session.begin():
        from services.registration.models import Registration

        for n in range(people):
            session.add(
                Registration(
                    event_id=desk.listing().id,
                    first_name=f"P{n}",
                    last_name="Rossi",
                    email=f"p{n}@example.org",
                    status="confirmed",
                    token_hash=f"{n:064d}",
                )
            )
    since = desk.mark()
    with desk.factory() as session, session.begin():
        listing = session.merge(desk.listing())
        draft = Draft(Audience("confirmed"), "Oggetto", "Testo")
        message = participant_messages.send(session, listing, draft, by="account-organiser")
        assert message.recipients == people
    events = desk.events("participant.messaged", since=since)
    assert [len(e["recipients"]) for _, e in events] == [MESSAGE_BATCH, MESSAGE_BATCH, 1]
    assert [e["batch"] for _, e in events] == [1, 2, 3] and {e["batches"] for _, e in events} == {3}
    assert len({r["registration_id"] for _, e in events for r in e["recipients"]}) == people


def test_each_event_takes_a_few_messages_an_hour(desk):
    desk.registered(1)
    now = dt.datetime.now(dt.timezone.utc)
    draft = Draft(Audience("confirmed"), "Oggetto", "Testo")
    with desk.factory() as session, session.begin():
        listing = session.merge(desk.listing())
        for _ in range(participant_messages.MAX_PER_EVENT_HOUR):
            participant_messages.send(session, listing, draft, by="a", now=now)
    with desk.factory() as session, session.begin():
        listing = session.merge(desk.listing())
        try:
            participant_messages.send(session, listing, draft, by="a", now=now)
        except participant_messages.TooManyRequests as exc:
            assert exc.status == 429 and exc.field == "audience"
        else:
            raise AssertionError("a sixth message within the hour was sent")
        later = now + participant_messages.HOUR + dt.timedelta(seconds=1)
        assert participant_messages.send(session, listing, draft, by="a", now=later).recipients == 1  # control


def test_each_organiser_has_an_allowance_of_messages(tmp_path):
    desk = Desk(settings_for("registration", tmp_path), RATELIMIT_ENABLED=True, MESSAGE_RATE_LIMIT="2 per hour")
    desk.deliver("event.published")
    logged_in(desk)
    desk.registered(1)
    send = {**MESSAGE, "action": "send"}
    assert [post_form(desk.client, PAGE, send, page=PAGE).status_code for _ in range(3)] == [303, 303, 429]
    refused = post_form(desk.client, PAGE, send, page=PAGE)
    assert refused.status_code == 429 and "error-summary" in refused.get_data(as_text=True)


def test_messages_are_for_the_events_organisers_only(desk):
    assert desk.client.get(PAGE).status_code in (302, 303, 401)
    desk.client.set_cookie(
        COOKIE, desk.headers(organisation="0b000000-0000-4000-8000-00000000000b")["Authorization"].split(" ", 1)[1]
    )
    assert desk.client.get(PAGE).status_code == 404
    desk.client.set_cookie(COOKIE, desk.headers("checkin")["Authorization"].split(" ", 1)[1])
    assert desk.client.get(PAGE).status_code == 403
