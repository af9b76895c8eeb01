"""Pure rules of registration: answers against their fields, attendance
arithmetic, check-in codes and spreadsheet-safe cells."""

from __future__ import annotations

import datetime as dt

import pytest

from services.registration.answers import normalise
from services.registration.attendance import day_windows, union_minutes
from services.registration.checkin import checkin_code, registration_id_from
from services.registration.exports import safe
from services.registration.forms import FieldSpec, OptionSpec
from services.registration.models import Listing
from shared.errors import NotFound

UTC = dt.timezone.utc


def field(kind: str, *, required: bool = False, options=(), **limits) -> FieldSpec:
    specs = tuple(OptionSpec(i, key, key.title(), None, None, False) for i, key in enumerate(options, 1))
    return FieldSpec(
        1,
        "f",
        kind,
        "Campo",
        None,
        required,
        limits.get("max_length"),
        limits.get("min_value"),
        limits.get("max_value"),
        False,
        specs,
    )


@pytest.mark.parametrize(
    "kind, raw, value",
    [
        ("text", "  Sindaca ", "Sindaca"),
        ("number", "3,5", 3.5),
        ("number", 4, 4),
        ("date", "2026-12-16", "2026-12-16"),
        ("choice", "veg", "veg"),
        ("multiple_choice", ["veg", "gf", "veg"], ["veg", "gf"]),
        ("multiple_choice", "gf", ["gf"]),
        ("checkbox", "on", True),
        ("checkbox", None, False),
    ],
)
def test_an_answer_is_normalised_to_its_kind(kind, raw, value):
    assert normalise(field(kind, options=("veg", "gf")), raw) == (value, None)


@pytest.mark.parametrize(
    "kind, raw, problem",
    [
        ("text", "x" * 11, "at most 10 characters"),
        ("number", "tre", "must be a number"),
        ("number", True, "must be a number"),
        ("number", "nan", "must be a number"),
        ("number", 99, "at most 10"),
        ("date", "16/12/2026", "must be a date (YYYY-MM-DD)"),
        ("choice", "fish", "not one of the options"),
        ("multiple_choice", ["veg", "fish"], "not one of the options"),
        ("multiple_choice", {"veg": 1}, "must be a list of options"),
    ],
)
def test_an_answer_that_does_not_fit_its_field_names_the_problem(kind, raw, problem):
    assert normalise(field(kind, options=("veg", "gf"), max_length=10, max_value=10), raw) == (None, problem)


@pytest.mark.parametrize(
    "kind, raw",
    [("text", ""), ("text", "   "), ("choice", None), ("multiple_choice", []), ("checkbox", None), ("checkbox", "off")],
)
def test_a_required_field_left_empty_is_refused(kind, raw):
    value, problem = normalise(field(kind, required=True, options=("a",)), raw)
    assert value is None and problem


def test_parallel_sessions_count_once_and_gaps_do_not_count():
    at = dt.datetime(2026, 12, 16, 9, 0, tzinfo=UTC)
    hour = dt.timedelta(hours=1)
    intervals = [(at, at + hour), (at + hour / 2, at + 2 * hour), (at + 3 * hour, at + 4 * hour)]
    assert union_minutes(intervals) == 180
    assert union_minutes([]) == 0


def test_a_course_over_several_days_counts_each_day_from_its_start_to_its_end_time():
    course = Listing(
        starts_at=dt.datetime(2026, 7, 6, 7, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 7, 8, 15, 0, tzinfo=UTC),
        timezone="Europe/Rome",
    )
    windows = day_windows(course)
    assert len(windows) == 3
    assert all(end - start == dt.timedelta(hours=8) for start, end in windows.values())


def test_a_checkin_code_names_its_registration_and_cannot_be_forged():
    code = checkin_code("secret", "0d6c7a52-2222-4b4b-8d8d-000000000002")
    assert registration_id_from("secret", code) == "0d6c7a52-2222-4b4b-8d8d-000000000002"
    registration_id, signature = code.rsplit(".", 1)
    for forged in (f"0d6c7a52-2222-4b4b-8d8d-000000000003.{signature}", registration_id, "", code + "x"):
        with pytest.raises(NotFound):
            registration_id_from("secret", forged)
    with pytest.raises(NotFound):
        registration_id_from("another secret", code)


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"])
def test_cells_a_spreadsheet_would_run_are_written_as_text(cell):
    assert safe(cell) == "'" + cell
    assert safe("Comune di Prova") == "Comune di Prova" and safe(3) == 3
