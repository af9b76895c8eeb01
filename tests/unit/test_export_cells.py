"""Export cells are safe to open: a value or a field label that a spreadsheet
would run as a formula is written as text with a leading ', characters an
XLSX file cannot hold are replaced, bidi overrides dropped. Read back with
the csv module and openpyxl, not with the code that wrote them."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from services.registration.exports import to_csv, to_xlsx

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","clic")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "  =1+1",
    " \u00a0-2+3",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=cmd|' /C calc'!A0",
]
HEADER = ["registration_id", "first_name", "=1+1 (sum)", "@label (at)", "\u202eNote (notes)"]


def csv_rows(header, rows):
    text = to_csv(header, rows)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheet(header, rows, title="Seminario"):
    return load_workbook(io.BytesIO(to_xlsx(header, rows, title))).active


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_in_a_value_is_text_with_a_leading_apostrophe_in_both_exports(value):
    header, rows = ["id", "organisation"], [["r1", value]]
    assert csv_rows(header, rows)[1][1] == "'" + value
    cell = xlsx_sheet(header, rows)["B2"]
    assert cell.data_type == "s" and cell.value == "'" + value


def test_formulas_in_the_organisers_field_labels_are_neutralised_in_the_header():
    rows = [["r1", "Anna", 2, "x", "y"]]
    assert csv_rows(HEADER, rows)[0] == ["registration_id", "first_name", "'=1+1 (sum)", "'@label (at)", "Note (notes)"]
    sheet = xlsx_sheet(HEADER, rows)
    header = [cell for cell in next(sheet.iter_rows())]
    assert [c.value for c in header] == ["registration_id", "first_name", "'=1+1 (sum)", "'@label (at)", "Note (notes)"]
    assert all(c.data_type == "s" for c in header)


def test_no_cell_of_the_xlsx_is_a_formula():
    sheet = xlsx_sheet(HEADER, [["r1", value, value, value, value] for value in FORMULAS])
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} == {"s"}


def test_numbers_and_ordinary_text_are_left_as_they_are():
    header, rows = ["id", "count", "notes"], [["r1", -5, "Città - centro"], ["r2", 2.5, "a = b"]]
    assert csv_rows(header, rows)[1:] == [["r1", "-5", "Città - centro"], ["r2", "2.5", "a = b"]]
    sheet = xlsx_sheet(header, rows)
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n" and sheet["C3"].value == "a = b"


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ud800", "\uffff"])
def test_characters_an_xlsx_cannot_hold_become_replacement_characters(control):
    header = ["id", f"Label{control} (x)"]
    rows = [["r1", f"Anna{control}Maria"], ["r2", "Ben"]]
    sheet = xlsx_sheet(header, rows, title=f"Title{control}")
    assert sheet["B1"].value == "Label\ufffd (x)"
    assert sheet["B2"].value == "Anna\ufffdMaria" and sheet["B3"].value == "Ben"
    assert csv_rows(header, rows)[1] == ["r1", "Anna\ufffdMaria"]


def test_bidi_overrides_are_dropped_but_marks_and_isolates_kept():
    rows = [["r1", "\u202egpj.exe"], ["r2", "\u2067عائشة\u2069\u200f"]]
    assert [r[1] for r in csv_rows(["id", "name"], rows)[1:]] == ["gpj.exe", "\u2067عائشة\u2069\u200f"]


def test_a_sheet_title_of_only_forbidden_characters_falls_back():
    assert xlsx_sheet(["id"], [], title="[]:*?/\\'").title == "Iscrizioni"
