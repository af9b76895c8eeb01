"""Online and hybrid items in calendars: an invitation or agenda item carries
RFC 7986 CONFERENCE (the video link, and the dial-in when it is a phone
number) plus the same facts in LOCATION and DESCRIPTION; it passes every
outside parser; a CANCEL never carries the link; the cached fast path still
equals a full build."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from services.notifications.calendar.calendar_items import event_calendar, event_invitation_uid, session_calendar
from services.notifications.calendar.conference import conference_links, tel_uri
from services.notifications.calendar.feeds import AgendaItem, build_agenda
from services.notifications.calendar.invitations import InviteData, build_invitation, full_invitation
from services.notifications.config import NotifyConfig
from services.notifications.models import Attendee, EventCopy, Invitation, SessionCopy, WorkshopSeat
from services.notifications.online_rooms import for_event, for_session, join_details
from shared.config import load_settings
from tests.validators import VALIDATORS, all_problems, strict_mode

UTC = dt.timezone.utc
CONFIG = NotifyConfig(
    settings=load_settings(
        "notifications", public_base_url="https://eventi.example", organizer_email="programma@eventi.example"
    )
)
TEAMS = {
    "platform": "teams",
    "join_url": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d",
    "meeting_id": "385 562 117 93",
    "passcode": "aB3xY7",
    "dial_in": "+39 02 3046 5120,,123456#",
}
PERSON = {"first_name": "Zoë", "last_name": "D'Angelo", "email": "zoe@example.org", "locale": "it"}
SUMMARY = {
    "title": {"it": "Bilancio partecipativo", "en": "Participatory budgeting"},
    "starts_at": dt.datetime(2026, 12, 14, 8, 30, tzinfo=UTC),
    "ends_at": dt.datetime(2026, 12, 14, 12, 30, tzinfo=UTC),
    "venue": "Sala consiliare",
    "url": "https://eventi.example/e/bilancio",
}


def assert_clean(ics: bytes) -> None:
    problems = all_problems(ics)
    if strict_mode():
        assert set(problems) == set(VALIDATORS)
    assert problems == {name: [] for name in problems}, problems


def invitation(sequence: int = 0) -> Invitation:
    return Invitation(
        registration_id="r1", uid=event_invitation_uid("r1", CONFIG), sequence=sequence, state="requested"
    )


def conferences(vevent) -> list:
    found = vevent.get("CONFERENCE", [])
    return found if isinstance(found, list) else [found]


def test_an_online_invitation_carries_conference_with_feature_and_label_and_passes_every_parser():
    join = join_details("online", TEAMS, None, "it")
    ics = event_calendar(CONFIG, invitation(), SUMMARY, PERSON, "REQUEST", join)
    assert_clean(ics)
    vevent = Calendar.from_ical(ics).events[0]
    video, phone = conferences(vevent)
    assert str(video) == TEAMS["join_url"] and video.params["VALUE"] == "URI"
    assert video.params["FEATURE"] == ["VIDEO", "AUDIO"] and video.params["LABEL"] == "Microsoft Teams"
    assert str(phone) == "tel:+39-02-3046-5120,,123456#" and phone.params["FEATURE"] == "PHONE"
    assert [c.uri for c in vevent.conferences] == [TEAMS["join_url"], "tel:+39-02-3046-5120,,123456#"]
    assert b"FEATURE=VIDEO,AUDIO;" in ics.replace(b"\r\n ", b"")  # a list, not one quoted value


def test_clients_that_ignore_conference_still_find_the_link_in_location_and_description():
    join = join_details("online", TEAMS, None, "en")
    english = {**PERSON, "locale": "en"}
    vevent = Calendar.from_ical(event_calendar(CONFIG, invitation(), SUMMARY, english, "REQUEST", join)).events[0]
    assert str(vevent["LOCATION"]) == f"Online (Microsoft Teams): {TEAMS['join_url']}"
    description = str(vevent["DESCRIPTION"])
    for fact in (TEAMS["join_url"], "Meeting ID: 385 562 117 93", "Passcode: aB3xY7", "By phone: +39 02 3046"):
        assert fact in description


def test_a_hybrid_invitation_names_the_venue_first_then_the_online_room():
    join = join_details("hybrid", {**TEAMS, "platform": "zoom", "dial_in": ""}, None, "it")
    ics = event_calendar(CONFIG, invitation(), SUMMARY, PERSON, "REQUEST", join)
    assert_clean(ics)
    vevent = Calendar.from_ical(ics).events[0]
    assert str(vevent["LOCATION"]) == f"Sala consiliare / online: {TEAMS['join_url']}"
    assert [c.label for c in vevent.conferences] == ["Zoom"]  # no dial-in, no phone CONFERENCE


def test_a_cancel_never_carries_the_link():
    join = join_details("online", TEAMS, None, "it")
    ics = event_calendar(CONFIG, invitation(1), SUMMARY, PERSON, "CANCEL", join)
    assert_clean(ics)
    assert b"CONFERENCE" not in ics and b"teams.microsoft.com" not in ics


def test_an_in_person_event_or_an_unknown_room_gives_no_join_details():
    assert join_details("in_person", TEAMS, None, "it") is None
    assert join_details("online", None, None, "it") is None
    assert join_details(None, TEAMS, None, "it") is None


def test_the_personal_link_replaces_the_shared_one_only_for_confirmed_people():
    event = EventCopy(event_id="e1", delivery_mode="online", online=TEAMS)
    confirmed = Attendee(status="confirmed", locale="it", join_url="https://teams.microsoft.com/l/personal-1")
    join = for_event(event, confirmed)
    assert join is not None and join.join_url == "https://teams.microsoft.com/l/personal-1" and join.personal
    assert for_event(event, Attendee(status="waitlisted", locale="it")) is None
    assert for_event(event, Attendee(status="pending", locale="it")) is None


def test_a_session_resolves_its_mode_and_room_before_the_events():
    event = EventCopy(event_id="e1", delivery_mode="hybrid", online=TEAMS)
    person = Attendee(status="confirmed", locale="en", join_url="https://teams.microsoft.com/l/personal-1")
    own_room = {"platform": "jitsi", "join_url": "https://meet.jit.si/eventi-lab"}
    inherits = SessionCopy(guid="g1", delivery_mode=None, online=None)
    in_person = SessionCopy(guid="g2", delivery_mode="in_person", online=None)
    own = SessionCopy(guid="g3", delivery_mode="online", online=own_room)
    inherited = for_session(inherits, event, person)
    assert inherited is not None and inherited.join_url.endswith("personal-1") and inherited.mode == "hybrid"
    assert for_session(in_person, event, person) is None
    separate = for_session(own, event, person)
    assert separate is not None and separate.join_url == own_room["join_url"] and not separate.personal
    assert separate.platform_name == "Jitsi Meet"


def test_a_workshop_invitation_with_a_room_passes_every_parser():
    seat = WorkshopSeat(registration_id="r1", session_guid="g1", uid="workshop-r1-g1@eventi.example", sequence=2)
    workshop = SessionCopy(
        guid="g1",
        title_it="Laboratorio: «bilancio»",
        title_en="Lab",
        room="Aula 2",
        starts_at=dt.datetime(2026, 12, 14, 10, 30, tzinfo=UTC),
        ends_at=dt.datetime(2026, 12, 14, 12, 0, tzinfo=UTC),
        url=None,
        status="confirmed",
    )
    join = join_details("hybrid", {"platform": "other", "join_url": "https://video.example.org/r/42"}, None, "it")
    ics = session_calendar(CONFIG, seat, workshop, SUMMARY, PERSON, "REQUEST", join)
    assert_clean(ics)
    vevent = Calendar.from_ical(ics).events[0]
    assert str(vevent["LOCATION"]) == "Aula 2, Sala consiliare / online: https://video.example.org/r/42"
    assert [(c.uri, c.label) for c in vevent.conferences] == [("https://video.example.org/r/42", "Riunione online")]


@pytest.mark.parametrize(
    "dial_in, uri",
    [
        ("tel:+1-412-555-0123,,,654321", "tel:+1-412-555-0123,,,654321"),
        ("+39 02 1234 5678", "tel:+39-02-1234-5678"),
        ("(02) 1234.5678", "tel:(02)-1234.5678"),
        ("Chiama il centralino e chiedi della sala", None),
        ("", None),
    ],
)
def test_a_dial_in_becomes_a_phone_conference_only_when_it_is_a_number(dial_in, uri):
    assert tel_uri(dial_in) == uri


def test_invitations_with_conference_built_from_the_cached_shared_part_equal_a_full_build():
    for n, url in enumerate((TEAMS["join_url"], "https://zoom.us/w/8123?tk=" + "t" * 90)):
        join = join_details("online", {**TEAMS, "join_url": url}, None, "it")
        assert join is not None
        data = InviteData(
            uid=f"registration-{'r' * 40}-{n}@eventi.example",
            sequence=n,
            summary="Webinar «uno»",
            starts_at=dt.datetime(2026, 12, 14, 10, 30, tzinfo=UTC),
            ends_at=dt.datetime(2026, 12, 14, 12, 0, tzinfo=UTC),
            location=f"Online (Zoom): {url}",
            description="testo " * 40,
            url=None,
            organizer_email="programma@eventi.example",
            organizer_name="Eventi",
            attendee_email=f"person{n}@example.org",
            attendee_name="Anna Bianchi " * n,
            stamp=dt.datetime(2026, 11, 1, tzinfo=UTC),
            conferences=conference_links(join, "it"),
        )
        assert build_invitation(data, "REQUEST") == full_invitation(data, "REQUEST")


def test_an_agenda_item_with_conference_passes_every_parser():
    join = join_details("online", TEAMS, None, "it")
    assert join is not None
    item = AgendaItem(
        uid="agenda-event-e1@eventi.example",
        sequence=1,
        updated_at=dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        starts_at=SUMMARY["starts_at"],
        ends_at=SUMMARY["ends_at"],
        summary="Bilancio partecipativo",
        location=f"Online (Microsoft Teams): {TEAMS['join_url']}",
        description="",
        url=None,
        cancelled=False,
        conferences=conference_links(join, "it"),
    )
    body = build_agenda(
        [item],
        calendar_uid="agenda-r1@eventi.example",
        title="Bilancio",
        language="it",
        timezone="Europe/Rome",
        refresh=dt.timedelta(hours=1),
    )
    assert_clean(body)
    assert [c.uri for c in Calendar.from_ical(body).events[0].conferences][0] == TEAMS["join_url"]
