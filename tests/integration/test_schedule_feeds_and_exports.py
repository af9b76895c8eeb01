"""The released schedule as calendar clients and conference apps read it:
iCal feeds judged by five parsers we did not write (tests/validators), frab
XML and c3voc JSON judged by the upstream schemas, and HTTP revalidation."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import icalendar
import pytest

from tests.integration.scheduling_support import SchedulingDesk, session_body
from tests.validators import VALIDATORS, all_problems, strict_mode
from tests.validators.icaljs import icaljs_check
from tests.validators.schedule import c3voc_json_problems, frab_xml_problems

LONG_ABSTRACT = (
    "Perché la città è più vicina ai cittadini: partecipazione, trasparenza e qualità dei servizi "
    "nei comuni italiani, con esempi già sperimentati. "
) * 12


@pytest.fixture
def congress(tmp_path):
    """Released 1.0: an opening across the DST change in Sala A, a workshop in
    Aula Magna, a talk to be cancelled, and a coffee break."""
    desk = SchedulingDesk(tmp_path)
    slug = desk.published_event()
    api = f"/api/v1/events/{slug}"
    sala = desk.post(f"{api}/rooms", {"name": "Sala A – piano terra", "capacity": 80})
    aula = desk.post(f"{api}/rooms", {"name": "Aula Magna", "capacity": 300, "position": 1})
    track = desk.post(f"{api}/tracks", {"name": {"it": "Città e territorio"}, "colour": "#1a2b3c"})
    anna = desk.post(f"{api}/speakers", {"name": "Anna Bianchi", "affiliation": "Comune di Forlì"})
    ids = {
        "opening": desk.post(
            f"{api}/sessions",
            session_body(
                "Apertura dei lavori: l'identità dei comuni",
                "2027-03-28T01:30:00",
                "2027-03-28T03:30:00",
                room_id=sala["id"],
                track_id=track["id"],
                speaker_ids=[anna["id"]],
                abstract={"it": LONG_ABSTRACT},
            ),
        )["id"],
        "workshop": desk.post(
            f"{api}/sessions",
            session_body(
                "Laboratorio sul bilancio",
                "2027-03-27T10:00:00",
                "2027-03-27T12:00:00",
                room_id=aula["id"],
                requires_signup=True,
                seat_limit=40,
                language="en",
            )
            | {"title": {"it": "Laboratorio sul bilancio", "en": "Budget workshop"}},
        )["id"],
        "talk": desk.post(
            f"{api}/sessions",
            session_body("Intervento annullato", "2027-03-27T15:00:00", "2027-03-27T16:00:00", room_id=sala["id"]),
        )["id"],
    }
    desk.post(
        f"{api}/sessions", session_body("Pausa caffè", "2027-03-27T12:00:00", "2027-03-27T12:30:00", kind="break")
    )
    desk.post(f"{api}/schedule/releases", {"name": "1.0"})
    return desk, slug, {"sala": sala, "aula": aula, "track": track, "anna": anna}, ids


def fetch(desk, path, **headers):
    return desk.client.get(path, headers=headers)


def vevents(body: bytes) -> dict:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def assert_clean(body: bytes) -> None:
    problems = all_problems(body)
    assert problems == {name: [] for name in (VALIDATORS if strict_mode() else problems)}


def move_workshop_and_cancel_talk(desk, slug, ids):
    api = f"/api/v1/events/{slug}"
    desk.patch(
        f"{api}/sessions/{ids['workshop']}", {"starts_at": "2027-03-27T14:00:00", "ends_at": "2027-03-27T16:00:00"}
    )
    assert desk.client.delete(f"{api}/sessions/{ids['talk']}", headers=desk.giulia).status_code == 204
    desk.post(f"{api}/schedule/releases", {"name": "1.1"})


def test_the_event_feed_passes_every_parser(congress):
    desk, slug, _, _ = congress
    response = fetch(desk, f"/events/{slug}/schedule.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert_clean(response.data)
    assert len(vevents(response.data)) == 3  # no break


def test_a_session_across_the_dst_change_has_the_right_utc_instants_in_icaljs(congress):
    desk, slug, _, _ = congress
    body = fetch(desk, f"/events/{slug}/schedule.ics").data
    instants = icaljs_check(body)["events"]
    opening = next(uid for uid, e in vevents(body).items() if "Apertura" in str(e["SUMMARY"]))
    # 01:30 CET (+01:00) to 03:30 CEST (+02:00): one real hour
    assert instants[opening] == {"start": "2027-03-28T00:30:00Z", "end": "2027-03-28T01:30:00Z"}


def test_italian_text_and_a_long_abstract_are_folded_at_75_octets(congress):
    desk, slug, _, _ = congress
    body = fetch(desk, f"/events/{slug}/schedule.ics").data
    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75 and all(line.decode("utf-8") for line in lines[:-1])
    assert b"\n" not in body.replace(b"\r\n", b"")
    opening = next(e for e in vevents(body).values() if "Apertura" in str(e["SUMMARY"]))
    assert LONG_ABSTRACT.strip() in str(opening["DESCRIPTION"])
    assert str(opening["LOCATION"]) == "Sala A – piano terra"


def test_a_moved_session_keeps_its_uid_and_a_cancelled_one_stays_as_cancelled(congress):
    desk, slug, _, ids = congress
    before = vevents(fetch(desk, f"/events/{slug}/schedule.ics").data)
    move_workshop_and_cancel_talk(desk, slug, ids)
    body = fetch(desk, f"/events/{slug}/schedule.ics").data
    assert_clean(body)
    after = vevents(body)
    assert set(after) == set(before)  # same UIDs: nothing deleted, nothing duplicated
    by_title = {str(e["SUMMARY"]): e for e in after.values()}
    workshop, talk = by_title["Budget workshop"], by_title["Intervento annullato"]
    assert workshop["SEQUENCE"] == 1 and talk["SEQUENCE"] == 1 and talk["STATUS"] == "CANCELLED"
    assert workshop.decoded("DTSTAMP") > before[str(workshop["UID"])].decoded("DTSTAMP")
    assert icaljs_check(body)["events"][str(workshop["UID"])]["start"] == "2027-03-27T13:00:00Z"
    opening = by_title["Apertura dei lavori: l'identità dei comuni"]
    assert opening.to_ical() == before[str(opening["UID"])].to_ical()  # untouched session, same bytes


def test_room_track_and_speaker_feeds_hold_their_sessions_and_pass_every_parser(congress):
    desk, slug, items, _ = congress
    for kind, key, titles in [
        ("rooms", items["aula"]["id"], ["Budget workshop"]),
        ("tracks", items["track"]["id"], ["Apertura dei lavori: l'identità dei comuni"]),
        ("speakers", items["anna"]["id"], ["Apertura dei lavori: l'identità dei comuni"]),
    ]:
        response = fetch(desk, f"/events/{slug}/{kind}/{key}/schedule.ics")
        assert response.status_code == 200
        assert_clean(response.data)
        assert [str(e["SUMMARY"]) for e in vevents(response.data).values()] == titles
    assert fetch(desk, f"/events/{slug}/rooms/nope/schedule.ics").status_code == 404


def test_a_room_with_nothing_in_it_yet_has_a_valid_empty_feed(congress):
    """No VEVENT, but the event's VTIMEZONE: a VCALENDAR needs a component."""
    desk, slug, _, _ = congress
    empty = desk.post(f"/api/v1/events/{slug}/rooms", {"name": "Sala vuota", "capacity": 10})
    desk.post(
        f"/api/v1/events/{slug}/sessions",
        session_body(  # something to release, elsewhere
            "Saluti finali", "2027-03-28T15:00:00", "2027-03-28T15:30:00"
        ),
    )
    desk.post(f"/api/v1/events/{slug}/schedule/releases", {"name": "1.1"})
    response = fetch(desk, f"/events/{slug}/rooms/{empty['id']}/schedule.ics")
    assert response.status_code == 200
    assert_clean(response.data)
    calendar = icalendar.Calendar.from_ical(response.data)
    assert not calendar.walk("VEVENT") and [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Rome"]
    assert fetch(desk, f"/events/{slug}/rooms/{empty['id']}/schedule.ics").data == response.data


def test_an_etag_match_is_304_and_the_body_never_changes_for_the_same_data(congress):
    desk, slug, _, _ = congress
    path = f"/events/{slug}/schedule.ics"
    first, second = fetch(desk, path), fetch(desk, path)
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    not_modified = fetch(desk, path, **{"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    assert fetch(desk, path, **{"If-None-Match": '"stale"'}).status_code == 200


def test_a_client_that_accepts_gzip_gets_the_same_feed_compressed_under_its_own_etag(congress):
    desk, slug, _, _ = congress
    path = f"/events/{slug}/schedule.ics"
    plain, packed = fetch(desk, path), fetch(desk, path, **{"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert fetch(desk, path, **{"Accept-Encoding": "gzip"}).data == packed.data  # deterministic
    again = fetch(desk, path, **{"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == packed.headers["ETag"]


def test_a_fresh_process_renders_the_same_bytes(congress, tmp_path):
    desk, slug, _, _ = congress
    from services.scheduling.app import create_app

    body = fetch(desk, f"/events/{slug}/schedule.ics").data
    cold = create_app(
        {
            "SETTINGS": desk.client.application.extensions["eventi"].settings,
            "TESTING": True,
            "CLOCK": desk.client.application.config["CLOCK"],
        }
    ).test_client()
    assert cold.get(f"/events/{slug}/schedule.ics").data == body


def test_last_modified_answers_if_modified_since_and_never_goes_backwards(congress):
    desk, slug, _, ids = congress
    path = f"/events/{slug}/schedule.ics"
    first = fetch(desk, path)
    stamp = first.headers["Last-Modified"]
    assert fetch(desk, path, **{"If-Modified-Since": stamp}).status_code == 304
    earlier = dt.datetime.strptime(stamp, "%a, %d %b %Y %H:%M:%S GMT") - dt.timedelta(seconds=1)
    before = earlier.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert fetch(desk, path, **{"If-Modified-Since": before}).status_code == 200
    move_workshop_and_cancel_talk(desk, slug, ids)  # the newest rows change or go
    second = fetch(desk, path, **{"If-Modified-Since": stamp})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    parse = lambda h: dt.datetime.strptime(h, "%a, %d %b %Y %H:%M:%S GMT")  # noqa: E731
    assert parse(second.headers["Last-Modified"]) > parse(stamp)


def test_the_frab_xml_is_valid_against_the_c3voc_xsd(congress):
    desk, slug, _, ids = congress
    move_workshop_and_cancel_talk(desk, slug, ids)
    response = fetch(desk, f"/events/{slug}/schedule.xml")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    assert frab_xml_problems(response.data) == []
    text = response.data.decode("utf-8")
    assert "Intervento annullato" not in text and "Pausa caffè" not in text
    assert "<date>2027-03-28T01:30:00+01:00</date>" in text and "<duration>01:00</duration>" in text
    revalidated = fetch(desk, f"/events/{slug}/schedule.xml", **{"If-None-Match": response.headers["ETag"]})
    assert revalidated.status_code == 304


def test_the_c3voc_json_is_valid_and_keeps_each_sessions_guid_across_releases(congress):
    desk, slug, _, ids = congress
    first = json.loads(fetch(desk, f"/events/{slug}/schedule.json").data)
    assert c3voc_json_problems(first) == []
    move_workshop_and_cancel_talk(desk, slug, ids)
    second = json.loads(fetch(desk, f"/events/{slug}/schedule.json").data)
    assert c3voc_json_problems(second) == []

    def guids(document):
        return {
            e["id"]: e["guid"]
            for day in document["schedule"]["conference"]["days"]
            for events in day["rooms"].values()
            for e in events
        }

    assert guids(second) == {k: v for k, v in guids(first).items() if k != ids["talk"]}
    assert all(isinstance(k, int) and k > 0 for k in guids(second))
    assert second["schedule"]["version"] == "1.1"
    assert second["schedule"]["conference"]["time_zone_name"] == "Europe/Rome"


def test_feeds_of_drafts_and_unreleased_events_are_404(tmp_path):
    desk = SchedulingDesk(tmp_path)
    draft = desk.post(
        "/api/v1/events",
        {
            "title": {"it": "Bozza"},
            "type": "seminar",
            "starts_at": "2027-03-27T09:00:00",
            "ends_at": "2027-03-27T12:00:00",
        },
    )
    desk.post(
        f"/api/v1/events/{draft['slug']}/sessions", session_body("S", "2027-03-27T09:00:00", "2027-03-27T10:00:00")
    )
    desk.post(f"/api/v1/events/{draft['slug']}/schedule/releases")
    unreleased = desk.published_event()
    for slug in (draft["slug"], unreleased, "no-such-event"):
        for name in ("schedule.ics", "schedule.xml", "schedule.json"):
            assert fetch(desk, f"/events/{slug}/{name}").status_code == 404


def test_the_event_page_shows_the_released_programme_with_calendar_links(congress):
    desk, slug, _, ids = congress
    move_workshop_and_cancel_talk(desk, slug, ids)
    page = desk.client.get(f"/events/{slug}").data.decode()
    assert "versione 1.1" in page and f'id="session-{ids["opening"]}"' in page
    assert "01:30–03:30" in page  # local times, across the DST change
    assert "<del>" in page and "annullato" in page  # the cancelled talk, until it is over
    assert f"webcal://eventi.example.org/scheduling/events/{slug}/schedule.ics" in page
