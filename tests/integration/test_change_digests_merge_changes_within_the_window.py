"""Schedule releases and edits touching a person within DIGEST_WINDOW_SECONDS
become one e-mail listing what changed; the invitation of each changed item
is updated once per window, whatever the number of edits."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.notification_helpers import (
    SESSION_GUID,
    UTC,
    Notifications,
    calendar_of,
    invite_facts,
    registration,
    release,
    session_item,
    workshop,
)

WINDOW = dt.timedelta(minutes=10)
OTHER_GUID = "5e0c6f3a-4242-4c4c-9d9d-000000000043"


@pytest.fixture
def notifications(tmp_path):
    notifications = Notifications(tmp_path, digest_window=WINDOW)
    notifications.publish("registration.confirmed", registration("confirmed"))
    notifications.publish("workshop.confirmed", workshop("confirmed"))
    notifications.publish("workshop.confirmed", workshop("confirmed", guid=OTHER_GUID, revision=1, signup_id=2))
    return notifications


def text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, 12, 14, hour, minute, tzinfo=UTC)


def test_three_releases_within_the_window_become_one_digest_and_one_update_per_session(notifications):
    before = len(notifications.deliveries())
    notifications.publish("schedule.released", release(2, [session_item(starts=at(13), sequence=1)]))
    notifications.publish("schedule.released", release(3, [session_item(starts=at(14), sequence=2)], previous=2))
    notifications.publish(
        "schedule.released",
        release(
            4,
            [session_item(guid=OTHER_GUID, starts=at(15), room="Aula 5", sequence=1, changes=("moved", "re_roomed"))],
            previous=3,
        ),
    )
    assert notifications.flush_digests() == 0  # the window is still open
    assert len(notifications.deliveries()) == before

    assert notifications.flush_digests(now=dt.datetime.now(UTC) + WINDOW) == 3
    digest, *updates = notifications.mails()[before:]
    assert calendar_of(digest) is None and "(2)" in str(digest["Subject"])
    body = text(digest)
    assert "14 dicembre 2030, 15:00–16:30" in body  # the last placement, in Rome time
    assert "prima 14 dicembre 2030, 11:30–13:00" in body  # where it was before the first change
    assert "Aula 5" in body
    assert sorted(invite_facts(u)[2] for u in updates) == [1, 1]  # one SEQUENCE step each, not one per edit
    assert {invite_facts(u)[0] for u in updates} == {"REQUEST"}
    assert notifications.flush_digests(now=dt.datetime.now(UTC) + 2 * WINDOW) == 0


def test_a_window_with_one_change_sends_one_mail_carrying_the_updated_invitation(notifications):
    before = len(notifications.deliveries())
    notifications.publish("schedule.released", release(2, [session_item(starts=at(13), sequence=1)]))
    notifications.flush_digests(now=dt.datetime.now(UTC) + WINDOW)
    (mail,) = notifications.mails()[before:]
    method, _uid, sequence, _status = invite_facts(mail)
    assert (method, sequence) == ("REQUEST", 1)
    assert "Cambio di programma" in str(mail["Subject"])


def test_a_session_moved_and_moved_back_within_the_window_sends_nothing(notifications):
    before = len(notifications.deliveries())
    notifications.publish("schedule.released", release(2, [session_item(starts=at(13), sequence=1)]))
    notifications.publish("schedule.released", release(3, [session_item(starts=at(10, 30), sequence=2)], previous=2))
    assert notifications.flush_digests(now=dt.datetime.now(UTC) + WINDOW) == 0
    assert len(notifications.deliveries()) == before


def test_a_change_to_a_session_nobody_holds_mails_nobody(notifications):
    before = len(notifications.deliveries())
    notifications.publish(
        "schedule.released",
        release(
            2,
            [session_item(guid="5e0c6f3a-4242-4c4c-9d9d-00000000ffff", starts=at(13), sequence=1, changes=("added",))],
        ),
    )
    notifications.publish(
        "schedule.released",
        release(3, [session_item(guid="5e0c6f3a-4242-4c4c-9d9d-00000000ffff", starts=at(14), sequence=2)], previous=2),
    )
    assert notifications.flush_digests(now=dt.datetime.now(UTC) + WINDOW) == 0
    assert len(notifications.deliveries()) == before


def test_a_seat_cancelled_during_the_window_drops_out_of_the_digest(notifications):
    before = len(notifications.deliveries())
    notifications.publish("schedule.released", release(2, [session_item(starts=at(13), sequence=1)]))
    notifications.publish("workshop.cancelled", workshop("cancelled", revision=2))
    cancel_mail = notifications.mails()[before]
    assert invite_facts(cancel_mail)[0] == "CANCEL" and SESSION_GUID in invite_facts(cancel_mail)[1]
    assert notifications.flush_digests(now=dt.datetime.now(UTC) + WINDOW) == 0
