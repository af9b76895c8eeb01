"""The validation harness must see what it is meant to see.

A validator that accepts everything makes every feed/invite/export test pass, so this
proves it on the fixtures in tests/conformance/: every good file passes every parser, and
every broken file is rejected by the parsers its README says catch it.
Missing libical3/ical.js (scripts/install-test-deps): skipped locally, a failure in CI
(CI=true). The fixtures are part of the repository, so a missing one always fails.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

from tests.validators import (
    VALIDATORS,
    ValidatorUnavailable,
    all_problems,
    icaljs,
    libical_check,
    strict_mode,
)
from tests.validators.pyparsers import (
    ical_problems,
    icalendar_problems,
    vobject_problems,
)
from tests.validators.schedule import (
    c3voc_dir,
    c3voc_json_problems,
    conformance_dir,
    frab_xml_problems,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GOOD_FIXTURES = [
    "feed-utc.ics",
    "feed-tzid.ics",
    "invite-request.ics",
    "invite-update.ics",
    "invite-cancel.ics",
]
# tests/conformance/icalendar-fixtures/README.md, "caught by": who rejects which broken file.
BAD_FIXTURES_CAUGHT_BY = {
    "bad-no-dtstamp.ics": {"icaljs", "vobject"},
    "bad-no-uid.ics": {"icaljs", "vobject"},
    "bad-tzid-unknown.ics": {"libical", "icaljs", "vobject", "ical", "icalendar"},
    "bad-tzid-no-vtimezone.ics": {"libical", "icaljs", "icalendar"},
    "bad-syntax.ics": {"libical", "icaljs", "vobject", "ical", "icalendar"},
    "bad-date-value.ics": {"libical", "icaljs", "vobject", "ical", "icalendar"},
    "bad-end-before-start.ics": {"icaljs"},
    "bad-request-no-organizer.ics": {"libical"},
    "bad-request-no-attendee.ics": {"libical"},
    "bad-cancel-no-sequence.ics": {"libical"},
}
PARSERS = {
    "libical": lambda data: libical_check.libical_problems(data),
    "icaljs": lambda data: icaljs.icaljs_check(data)["problems"],
    "vobject": vobject_problems,
    "ical": ical_problems,
    "icalendar": icalendar_problems,
}


def ics_fixture(name: str) -> bytes:
    return _conformance_file(conformance_dir() / "icalendar-fixtures" / name)


def _conformance_file(path: Path) -> bytes:
    if not path.is_file():
        pytest.fail(f"conformance file {path} is missing (tests/conformance/ is part of the repository)")
    return path.read_bytes()


def _unavailable(reason: str) -> NoReturn:
    if strict_mode():
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def problems_from(parser: str, data: bytes) -> list[str]:
    try:
        return PARSERS[parser](data)
    except ValidatorUnavailable as exc:
        _unavailable(str(exc))


def every_available_parser(data: bytes) -> dict[str, list[str]]:
    try:
        return all_problems(data)  # raises ValidatorUnavailable itself when CI=true
    except ValidatorUnavailable as exc:
        _unavailable(str(exc))


@pytest.mark.parametrize("fixture", GOOD_FIXTURES)
@pytest.mark.parametrize("parser", VALIDATORS)
def test_good_fixture_is_accepted_by_every_parser(parser, fixture):
    assert problems_from(parser, ics_fixture(fixture)) == []


@pytest.mark.parametrize(
    ("fixture", "parser"),
    [(fixture, parser) for fixture, parsers in BAD_FIXTURES_CAUGHT_BY.items() for parser in sorted(parsers)],
)
def test_bad_fixture_is_rejected_by_the_parsers_known_to_catch_it(fixture, parser):
    assert problems_from(parser, ics_fixture(fixture)) != []


@pytest.mark.parametrize("fixture", sorted(BAD_FIXTURES_CAUGHT_BY))
def test_bad_fixture_is_rejected_by_at_least_one_parser_of_the_harness(fixture):
    results = every_available_parser(ics_fixture(fixture))
    if not any(results.values()) and set(results) != set(VALIDATORS):
        _unavailable(f"only {sorted(results)} available, none of them catches {fixture}")
    assert any(results.values()), results


def test_the_conformance_data_is_read_from_the_repository_itself(monkeypatch):
    monkeypatch.delenv("CONFORMANCE_DIR", raising=False)
    assert conformance_dir() == PROJECT_ROOT / "tests" / "conformance"
    assert (c3voc_dir() / "LICENCE.txt").is_file()


def test_every_fixture_in_the_fixtures_folder_is_covered_by_these_tests():
    folder = conformance_dir() / "icalendar-fixtures"
    assert folder.is_dir(), f"{folder} is missing (tests/conformance/ is part of the repository)"
    on_disk = {path.name for path in folder.glob("*.ics")}
    assert on_disk == set(GOOD_FIXTURES) | set(BAD_FIXTURES_CAUGHT_BY)


def test_all_problems_reports_every_parser_clean_for_a_good_feed():
    results = every_available_parser(ics_fixture("feed-utc.ics"))
    if set(results) != set(VALIDATORS):
        _unavailable(f"only {sorted(results)} available")
    assert results == {name: [] for name in VALIDATORS}


def test_icaljs_reports_the_utc_instant_a_client_shows():
    result = icaljs_result("feed-tzid.ics")
    # 01:30 Europe/Berlin on the DST night is still CET (+01:00).
    assert result["events"]["talk-44@conf.example.org"] == {
        "start": "2026-03-29T00:30:00Z",
        "end": "2026-03-29T01:30:00Z",
    }


def test_icaljs_shows_a_tzid_without_vtimezone_one_hour_late():
    result = icaljs_result("bad-tzid-no-vtimezone.ics")
    assert result["events"]["talk-44@conf.example.org"]["start"] == "2026-03-29T01:30:00Z"


def icaljs_result(fixture: str) -> dict:
    try:
        return icaljs.icaljs_check(ics_fixture(fixture))
    except ValidatorUnavailable as exc:
        _unavailable(str(exc))


def test_libical_cli_exits_1_for_a_broken_file_and_0_for_a_good_one():
    folder = conformance_dir() / "icalendar-fixtures"
    ics_fixture("feed-utc.ics")  # fails when the fixtures are absent
    problems_from("libical", b"")  # skips when libical is absent
    command = [sys.executable, "-m", "tests.validators.libical_check"]
    good, bad = (
        subprocess.run(
            [*command, str(folder / name)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            check=False,
        )
        for name in ("feed-utc.ics", "bad-syntax.ics")
    )
    assert (good.returncode, bad.returncode) == (0, 1), (good.stdout, bad.stdout)


def test_missing_libical_raises_validator_unavailable(monkeypatch):
    monkeypatch.setattr(libical_check, "LIBRARY", "libical-does-not-exist.so.0")
    libical_check._lib.cache_clear()
    try:
        with pytest.raises(ValidatorUnavailable, match="apt-get install -y libical3"):
            libical_check.libical_problems(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    finally:
        monkeypatch.undo()
        libical_check._lib.cache_clear()


def test_missing_node_modules_raises_validator_unavailable(monkeypatch, tmp_path):
    monkeypatch.setattr(icaljs, "ICALJS_DIR", tmp_path)
    with pytest.raises(ValidatorUnavailable):
        icaljs.icaljs_check(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")


# --- schedule exports (frab XML, c3voc JSON) -----------------------------------------


def schedule_example(relative: str) -> bytes:
    return _conformance_file(c3voc_dir() / relative)


def test_minimal_frab_schedule_xml_is_accepted():
    assert frab_xml_problems(schedule_example("xsd/examples/minimal-schedule.xml")) == []


def test_frab_schedule_xml_with_bad_code_and_offsetless_date_is_rejected():
    problems = frab_xml_problems(schedule_example("xsd/examples/invalid-schedule.xml"))
    assert any("'code'" in problem for problem in problems), problems
    assert any("'date'" in problem for problem in problems), problems


def test_malformed_xml_is_reported_not_raised():
    assert frab_xml_problems(b"<schedule>") != []


@pytest.mark.parametrize(
    ("example", "schema"),
    [("pretalx-democon.json", "schema.json"), ("hub-schedule2.json", "schema2.json")],
)
def test_valid_c3voc_json_example_is_accepted(example, schema):
    document = json.loads(schedule_example(f"json/examples/{example}"))
    assert c3voc_json_problems(document, schema) == []


@pytest.mark.parametrize("schema", ["schema.json", "schema2.json"])
def test_invalid_c3voc_json_example_is_rejected(schema):
    document = json.loads(schedule_example("json/examples/invalid-example.json"))
    assert c3voc_json_problems(document, schema) != []


def test_c3voc_json_check_rejects_a_malformed_date_time_instead_of_skipping_the_format():
    document = json.loads(schedule_example("json/examples/pretalx-democon.json"))
    document["schedule"]["conference"]["days"][0]["day_start"] = "2022-12-28 13:00"
    problems = c3voc_json_problems(document)
    assert any("day_start" in problem and "date-time" in problem for problem in problems), problems
