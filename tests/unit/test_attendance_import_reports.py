"""Each platform's attendance report, built from its documented layout, reads
into the same people and connection spans; reconnections merge, time outside
the session is clipped, and a file we cannot read names the row and column."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest

from services.registration.attendance_reports import Clock, ReportUnreadable, clipped, merged, read_report
from services.registration.attendance_reports.intervals import minutes
from services.registration.attendance_reports.moments import parse_moment
from services.registration.name_matching import name_key
from tests.unit.attendance_reports import builders

UTC = dt.timezone.utc
START = dt.datetime(2026, 3, 12, 8, 0, tzinfo=UTC)  # 09:00 in Rome
CLOCK = Clock("Europe/Rome", START)
MIN = dt.timedelta(minutes=1)
ROWS = [
    ("Anna Bianchi", "anna1@example.org", START - 10 * MIN, START + 30 * MIN),  # joined before the start
    ("Anna Bianchi", "anna1@example.org", START + 35 * MIN, START + 60 * MIN),  # a rejoin
    ("Marco Rossi", "marco@example.org", START + 5 * MIN, START + 65 * MIN),
]


def spans(report, email):
    (person,) = [p for p in report.people if p.email == email]
    return merged(person.intervals)


@pytest.mark.parametrize(
    "build, layout",
    [
        (builders.zoom, "zoom"),
        (lambda rows: builders.zoom(rows, meeting_data=False), "zoom"),
        (builders.teams, "teams"),
        (lambda rows: builders.teams(rows, words=builders.TEAMS_EN), "teams"),
        (builders.webex, "webex"),
        (builders.plain, "plain"),
    ],
    ids=["zoom", "zoom-without-meeting-data", "teams-italian", "teams-english", "webex", "plain"],
)
def test_every_layout_reads_into_the_same_people_and_connections(build, layout):
    report = read_report(build(ROWS), CLOCK)
    assert report.format == layout
    assert spans(report, "anna1@example.org") == [
        (START - 10 * MIN, START + 30 * MIN),
        (START + 35 * MIN, START + 60 * MIN),
    ]
    assert spans(report, "marco@example.org") == [(START + 5 * MIN, START + 65 * MIN)]
    assert {p.name for p in report.people} == {"Anna Bianchi", "Marco Rossi"}


def test_a_teams_file_is_utf16_with_a_bom_and_tabs_and_italian_headers():
    content = builders.teams(ROWS)
    assert content.startswith(codecs.BOM_UTF16_LE) and "\t".encode("utf-16-le") in content
    assert "Attività durante la riunione".encode("utf-16-le") in content


def test_teams_without_its_activities_section_reads_first_join_to_last_leave():
    report = read_report(builders.teams(ROWS, activities=False), CLOCK)
    assert spans(report, "anna1@example.org") == [(START - 10 * MIN, START + 60 * MIN)]


def test_google_meet_times_of_day_fall_on_the_sessions_day():
    report = read_report(
        builders.meet([("Marco Rossi", "marco@example.org", START + 5 * MIN, START + 65 * MIN)]), CLOCK
    )
    assert report.format == "meet"
    assert spans(report, "marco@example.org") == [(START + 5 * MIN, START + 65 * MIN)]
    assert report.people[0].name == "Marco Rossi"


def test_a_rejoin_and_time_before_the_start_count_only_inside_the_session():
    report = read_report(builders.zoom(ROWS), CLOCK)
    (anna,) = [p for p in report.people if p.email == "anna1@example.org"]
    inside = clipped(anna.intervals, (START, START + 60 * MIN))
    assert inside == [(START, START + 30 * MIN), (START + 35 * MIN, START + 60 * MIN)]
    assert minutes(inside) == 55


def test_overlapping_connections_from_two_devices_count_once():
    both = [(START, START + 30 * MIN), (START + 10 * MIN, START + 40 * MIN), (START + 40 * MIN, START + 50 * MIN)]
    assert merged(both) == [(START, START + 50 * MIN)]


def test_a_zoom_name_keeps_the_name_shown_not_the_original_in_brackets():
    rows = [("Anna B. (Anna Bianchi)", "", START, START + 30 * MIN)]
    assert read_report(builders.zoom(rows), CLOCK).people[0].name == "Anna B."


def test_the_day_and_month_order_is_read_towards_the_sessions_date():
    assert parse_moment("12/3/26, 9:58:12 AM", CLOCK) == dt.datetime(2026, 3, 12, 8, 58, 12, tzinfo=UTC)
    assert parse_moment("3/12/26, 09:58:12", CLOCK) == dt.datetime(2026, 3, 12, 8, 58, 12, tzinfo=UTC)
    assert parse_moment("2026-03-12T09:58:12+01:00", CLOCK) == dt.datetime(2026, 3, 12, 8, 58, 12, tzinfo=UTC)
    assert parse_moment("Mar 12, 2026 9:58 AM", CLOCK) == dt.datetime(2026, 3, 12, 8, 58, tzinfo=UTC)


def test_a_broken_date_names_its_row_and_column():
    content = builders.zoom(ROWS).replace(b"03/12/2026 09:05:00 AM", b"yesterday-ish")
    with pytest.raises(ReportUnreadable) as caught:
        read_report(content, CLOCK)
    assert caught.value.message.startswith("row 7, column 'Join Time': not a date and time")
    assert (caught.value.field, caught.value.status) == ("file", 422)


def test_a_plain_csv_with_unknown_columns_is_refused_naming_them():
    with pytest.raises(ReportUnreadable, match="unknown columns 'minutes'"):
        read_report(builders.plain(ROWS, extra="minutes"), CLOCK)


def test_a_file_of_no_known_layout_is_refused():
    with pytest.raises(ReportUnreadable, match="not an attendance report we recognise"):
        read_report(b"who,when\nanna,today\n", CLOCK)
    with pytest.raises(ReportUnreadable, match="empty"):
        read_report(b"  \n", CLOCK)


def test_names_match_with_accents_folded_and_in_either_order():
    assert name_key("Bianchi, Anna Maria") == name_key("anna maria BIANCHI") == name_key("Anna María Bianchì")
    assert name_key("Rossi Marco") != name_key("Marco Rossini")
