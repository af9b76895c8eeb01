"""Building iCalendar feeds of a released schedule: deterministic bytes and
every calendar rule of docs/architecture.md (pure functions, no I/O)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from services.scheduling.feeds import FeedTarget, UnknownFeed, build_feed, host_of, session_uid
from tests.unit.schedule_samples import ROOM_B, SPEAKER, TRACK, entry, released, utc

NOW = utc(2027, 2, 1, 12)
URL = "https://eventi.example.org/scheduling/events/congresso-comuni-2027"


def feed(schedule, target=FeedTarget(), now=NOW) -> bytes:
    return build_feed(schedule, target, host="eventi.example.org", event_url=URL, now=now)


def events_of(body: bytes) -> list:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def sample():
    return released(
        [
            entry(1, utc(2027, 3, 27, 8), track=TRACK, speakers=[SPEAKER], sequence=2),
            entry(2, utc(2027, 3, 27, 8), room=ROOM_B, title={"it": "Città e già", "en": "Cities"}, language="en"),
            entry(3, utc(2027, 3, 27, 10), kind="break", title={"it": "Pausa caffè", "en": None}),
        ]
    )


def test_the_same_data_gives_the_same_bytes():
    assert feed(sample()) == feed(sample())
    assert feed(sample(), now=NOW) == feed(sample(), now=NOW + dt.timedelta(days=3))


def test_the_calendar_names_itself_and_asks_for_hourly_refresh_without_a_method():
    body = feed(sample())
    for line in (
        b"NAME:Congresso dei Comuni\r\n",
        b"X-WR-CALNAME:Congresso dei Comuni\r\n",
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n",
        b"X-PUBLISHED-TTL:PT1H\r\n",
        b"UID:feed-eeeeeeee-0000-4000-8000-000000000005@eventi.example.org\r\n",
    ):
        assert line in body
    assert b"METHOD" not in body and b"TZID" not in body


def test_sessions_have_utc_times_a_stable_uid_and_stamps_from_the_update_time():
    first = events_of(feed(sample()))[0]
    assert first["UID"] == "session-00000000-0000-4000-8000-000000000001@eventi.example.org"
    assert first.decoded("DTSTART") == utc(2027, 3, 27, 8) and first.decoded("DTEND") == utc(2027, 3, 27, 9)
    assert first.decoded("DTSTAMP") == first.decoded("LAST-MODIFIED") == utc(2027, 1, 10, 9)
    assert first["SEQUENCE"] == 2 and first["STATUS"] == "CONFIRMED"
    assert first["LOCATION"] == "Sala A" and first["CATEGORIES"].cats == ["Finanza locale"]
    assert "Relatori: Anna Bianchi (Comune di Prova)" in first["DESCRIPTION"]
    assert first["URL"] == URL + "#session-1"


def test_a_session_in_english_uses_its_english_title():
    assert [str(e["SUMMARY"]) for e in events_of(feed(sample()))] == ["Sessione 1", "Cities"]


def test_a_session_without_speakers_or_abstract_has_no_empty_description():
    body = feed(released([entry(1, utc(2027, 3, 27, 8), abstract={"it": "", "en": None})]))
    assert b"DESCRIPTION" not in body


def test_breaks_are_not_in_the_feeds():
    assert "Pausa caffè" not in feed(sample()).decode()


def test_lines_end_in_crlf_and_fold_at_75_octets_without_splitting_a_letter():
    long = "Perché la città è più vicina: " * 40
    body = feed(released([entry(1, utc(2027, 3, 27, 8), abstract={"it": long, "en": None})]))
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") is not None for line in lines)
    assert long.strip() in str(events_of(body)[0]["DESCRIPTION"])


def test_a_cancelled_session_stays_as_cancelled_until_it_is_over():
    schedule = released([entry(1, utc(2027, 3, 27, 8), status="cancelled", sequence=1), entry(2, utc(2027, 3, 28, 8))])
    before = events_of(feed(schedule, now=utc(2027, 3, 27, 8, 59)))
    assert [(e["UID"].split("@")[0][-2:], e["STATUS"]) for e in before] == [("01", "CANCELLED"), ("02", "CONFIRMED")]
    after = events_of(feed(schedule, now=utc(2027, 3, 27, 9)))
    assert [e["STATUS"] for e in after] == ["CONFIRMED"]


def test_last_modified_never_goes_backwards_as_cancelled_sessions_end():
    schedule = released([entry(1, utc(2027, 3, 27, 8), status="cancelled")], released_at=utc(2027, 1, 10, 9))
    moments = [utc(2027, 2, 1), utc(2027, 3, 27, 9), utc(2027, 4, 1)]
    stamps = [schedule.last_modified(now) for now in moments]
    assert stamps == [utc(2027, 1, 10, 9), utc(2027, 3, 27, 9), utc(2027, 3, 27, 9)]


def test_a_room_track_or_speaker_feed_holds_only_its_sessions():
    schedule = sample()
    room = events_of(feed(schedule, FeedTarget("room", ROOM_B["id"])))
    track = events_of(feed(schedule, FeedTarget("track", TRACK["id"])))
    speaker = events_of(feed(schedule, FeedTarget("speaker", SPEAKER["id"])))
    assert [str(e["SUMMARY"]) for e in room] == ["Cities"]
    assert [str(e["SUMMARY"]) for e in track] == [str(e["SUMMARY"]) for e in speaker] == ["Sessione 1"]
    named = "X-WR-CALNAME:Congresso dei Comuni – Aula Magna".encode()
    assert named in feed(schedule, FeedTarget("room", ROOM_B["id"]))


def test_a_feed_of_a_room_that_is_not_in_the_release_is_unknown():
    with pytest.raises(UnknownFeed):
        feed(sample(), FeedTarget("room", "no-such-room"))


def test_session_uids_are_apart_from_invitation_uids():
    assert session_uid("abc", host_of("https://eventi.example.org:8443/x")) == "session-abc@eventi.example.org"
