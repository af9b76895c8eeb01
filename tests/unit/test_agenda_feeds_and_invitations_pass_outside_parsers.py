"""Agenda feeds and workshop invitations built by pure functions pass every
outside parser (libical with RFC 5546 restrictions, ical.js, vobject, ical,
icalendar); feeds are deterministic and follow the calendar rules of docs/architecture.md;
an invitation's UID stays while its SEQUENCE rises."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from services.notifications.calendar.calendar_items import session_calendar, workshop_invitation_uid
from services.notifications.calendar.feeds import AgendaItem, build_agenda
from services.notifications.config import NotifyConfig
from services.notifications.models import SessionCopy, WorkshopSeat
from shared.config import load_settings
from tests.validators import VALIDATORS, all_problems, strict_mode

UTC = dt.timezone.utc
CONFIG = NotifyConfig(
    settings=load_settings(
        "notifications", public_base_url="https://eventi.example", organizer_email="programma@eventi.example"
    )
)
PERSON = {"first_name": "Zoë", "last_name": "D'Angelo, jr.", "email": "zoe@example.org", "locale": "it"}


def assert_clean(ics: bytes) -> None:
    problems = all_problems(ics)
    if strict_mode():
        assert set(problems) == set(VALIDATORS)
    assert problems == {name: [] for name in problems}, problems


def item(n: int, **overrides) -> AgendaItem:
    values = dict(
        uid=f"agenda-session-{n}@eventi.example",
        sequence=n,
        updated_at=dt.datetime(2026, 11, 1, 9, 0, 7, 123, tzinfo=UTC),
        starts_at=dt.datetime(2026, 12, 14, 8 + n, 30, tzinfo=UTC),
        ends_at=dt.datetime(2026, 12, 14, 9 + n, 30, tzinfo=UTC),
        summary=f"Laboratorio {n}: città, bilancio; «partecipazione» \\ fine",
        location="Aula 2, Sala consiliare",
        description="Relatori: Anna Bianchi\n\n" + "testo lungo " * 30,
        url="https://eventi.example/s/1",
        cancelled=False,
    )
    values.update(overrides)
    return AgendaItem(**values)


def feed(items) -> bytes:
    return build_agenda(
        items,
        calendar_uid="agenda-r1@eventi.example",
        title="Bilancio partecipativo",
        language="it",
        timezone="Europe/Rome",
        refresh=dt.timedelta(hours=1),
    )


def test_an_agenda_feed_with_a_cancelled_item_passes_every_outside_parser():
    body = feed([item(2), item(1, cancelled=True, description="", url=None)])
    assert_clean(body)
    calendar = Calendar.from_ical(body)
    assert "METHOD" not in calendar and str(calendar["UID"]) == "agenda-r1@eventi.example"
    assert [str(e["STATUS"]) for e in calendar.events] == ["CANCELLED", "CONFIRMED"]  # sorted by start
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body and b"X-PUBLISHED-TTL:PT1H\r\n" in body
    assert b"DTSTAMP:20261101T090007Z" in body and b"LAST-MODIFIED:20261101T090007Z" in body


def test_the_same_agenda_gives_the_same_bytes_in_any_order():
    assert feed([item(1), item(2)]) == feed([item(2), item(1)])


def test_an_empty_agenda_is_still_a_valid_calendar():
    body = feed([])
    assert b"BEGIN:VCALENDAR" in body and b"BEGIN:VEVENT" not in body
    assert Calendar.from_ical(body)["NAME"]


def seat(sequence: int = 0) -> WorkshopSeat:
    return WorkshopSeat(
        registration_id="r1",
        session_guid="g1",
        uid=workshop_invitation_uid("r1", "g1", CONFIG),
        sequence=sequence,
        state="none",
    )


def workshop() -> SessionCopy:
    return SessionCopy(
        guid="g1",
        title_it="Laboratorio: «bilancio»",
        title_en="Lab",
        room="Aula 2",
        starts_at=dt.datetime(2026, 12, 14, 10, 30, tzinfo=UTC),
        ends_at=dt.datetime(2026, 12, 14, 12, 0, tzinfo=UTC),
        url=None,
        status="confirmed",
    )


EVENT = {"title": {"it": "Bilancio partecipativo", "en": None}, "venue": "Sala consiliare"}


def test_a_workshop_seat_goes_request_update_cancel_with_one_uid_and_rising_sequence():
    held = seat()
    held.request()
    request = Calendar.from_ical(session_calendar(CONFIG, held, workshop(), EVENT, PERSON, "REQUEST"))
    assert held.update()
    update = Calendar.from_ical(session_calendar(CONFIG, held, workshop(), EVENT, PERSON, "REQUEST"))
    assert held.cancel() and not held.cancel() and not held.update()
    cancel_bytes = session_calendar(CONFIG, held, workshop(), EVENT, PERSON, "CANCEL")
    cancel = Calendar.from_ical(cancel_bytes)
    uids = {str(c.events[0]["UID"]) for c in (request, update, cancel)}
    assert uids == {"workshop-r1-g1@eventi.example"}
    assert [c.events[0]["SEQUENCE"] for c in (request, update, cancel)] == [0, 1, 2]
    assert str(cancel["METHOD"]) == "CANCEL" and str(cancel.events[0]["STATUS"]) == "CANCELLED"
    held.request()
    assert held.sequence == 3  # a new REQUEST after the CANCEL is higher still
    for calendar_bytes in (request.to_ical(), update.to_ical(), cancel_bytes):
        assert_clean(calendar_bytes)


def test_invitations_built_from_the_cached_shared_part_equal_a_full_build():
    from services.notifications.calendar.invitations import InviteData, build_invitation, full_invitation

    people = [("Anna Bianchi", "a@example.org"), ("Zoë D'Angelo, jr. " * 6, "z" * 60 + "@x.org")]
    for n, (name, email) in enumerate(people):
        data = InviteData(
            uid=f"workshop-{'r' * 40}-{n}@eventi.example",
            sequence=n,
            summary="Laboratorio «uno»",
            starts_at=dt.datetime(2026, 12, 14, 10, 30, tzinfo=UTC),
            ends_at=dt.datetime(2026, 12, 14, 12, 0, tzinfo=UTC),
            location="Aula 2",
            description="testo " * 40,
            url=None,
            organizer_email="programma@eventi.example",
            organizer_name="Eventi",
            attendee_email=email,
            attendee_name=name,
            stamp=dt.datetime(2026, 11, 1, tzinfo=UTC),
        )
        for method in ("REQUEST", "CANCEL"):
            assert build_invitation(data, method) == full_invitation(data, method)
