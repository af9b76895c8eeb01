"""Every key a page may print has its words in Italian and English, and times
read in the event's zone: a new status or mail kind without words fails here
before it reaches a page."""

from __future__ import annotations

import datetime as dt

import pytest

from services.notifications.mail.render import KINDS as MAIL_KINDS
from services.notifications.mail.render import NOTICE_KINDS
from services.notifications.models.delivery import DELIVERY_STATES
from services.notifications.models.webhook import WEBHOOK_DELIVERY_STATES
from services.registration.models.online import IMPORT_STATES
from services.scheduling.models import ROLES, SESSION_KINDS
from shared.events.fields import EVENT_TYPES
from shared.events.registration import REGISTRATION_STATES, SIGNUP_STATES
from shared.events.scheduling import DELIVERY_MODES, SESSION_STATES
from shared.formatting import WORDS, format_moment, local_input, words

KEYS = {
    "registration_status": (*REGISTRATION_STATES, *SIGNUP_STATES),
    "session_status": SESSION_STATES,
    "delivery_status": DELIVERY_STATES,
    "webhook_status": WEBHOOK_DELIVERY_STATES,
    "import_status": IMPORT_STATES,
    "mail_kind": (*MAIL_KINDS, *NOTICE_KINDS),
    "session_kind": SESSION_KINDS,
    "role": ROLES,
    "event_type": EVENT_TYPES,
    "delivery_mode": DELIVERY_MODES,
}


@pytest.mark.parametrize("table", sorted(KEYS))
def test_every_key_has_words_in_both_languages(table):
    for key in KEYS[table]:
        italian, english = words(key, table, "it"), words(key, table, "en")
        assert italian != key and english != key and italian and english, (table, key)


def test_a_key_without_words_shows_as_itself_for_the_page_test_to_catch():
    assert words("no_such_status", "registration_status", "en") == "no_such_status"
    assert words(None, "role") == ""
    assert set(KEYS) <= set(WORDS)


def test_times_are_told_in_the_events_zone():
    winter = dt.datetime(2026, 12, 4, 8, 30, tzinfo=dt.timezone.utc)
    assert format_moment(winter, "Europe/Rome", "it") == "4 dic 2026, 09:30"
    assert format_moment(winter, "Europe/London", "en") == "4 Dec 2026, 08:30"
    assert format_moment(dt.datetime(2026, 7, 15, 7, 30), None, "en") == "15 Jul 2026, 09:30"  # naive is UTC
    assert local_input(winter, "Europe/Rome") == "2026-12-04T09:30"
