"""The exports survive what was stored before the forms refused it (control
characters in a name, an answer or a field label) and never hand a formula to
a spreadsheet, the organisers' field labels included. Read back with csv and
openpyxl, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import update

from services.registration.models import FormField, Listing, Registration

FIELDS = [
    {"key": "notes", "kind": "text", "label": {"it": '=HYPERLINK("http://evil.example")'}},
    {"key": "extra", "kind": "text", "label": {"it": " @SUM(1)"}},
]


def csv_rows(desk) -> list[list[str]]:
    response = desk.as_organiser("get", "/export.csv")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def xlsx_rows(desk):
    response = desk.as_organiser("get", "/export.xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return load_workbook(io.BytesIO(response.data)).active


def test_one_control_character_stored_in_a_name_no_longer_breaks_the_export_for_everyone(desk):
    desk.as_organiser("put", "/form", json={"fields": FIELDS})
    desk.registered(1, answers={"notes": "ok"})
    bad = desk.registered(2)["registration"]["id"]
    with desk.factory() as session, session.begin():  # as a row written before the forms refused them
        session.execute(
            update(Registration)
            .where(Registration.id == bad)
            .values(first_name="Anna\x01", last_name="Bian\x1b[31mchi", answers={"notes": "a\x0bb"})
        )
        session.execute(update(FormField).where(FormField.key == "extra").values(label_it="Extra\x07"))
        session.execute(update(Listing).values(form_revision=Listing.form_revision + 1))  # the form is read again
    sheet = xlsx_rows(desk)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[bad][header.index("first_name")] == "Anna\ufffd"
    assert by_id[bad][header.index("last_name")] == "Bian\ufffd[31mchi"
    assert "Extra\ufffd (extra)" in header and len(by_id) == 2
    table = csv_rows(desk)
    assert [row[table[0].index("first_name")] for row in table[1:]] == ["Anna1", "Anna\ufffd"]


def test_formulas_in_field_labels_and_answers_stay_text_in_both_exports(desk):
    desk.as_organiser("put", "/form", json={"fields": FIELDS})
    desk.registered(1, organisation=" =1+1", answers={"notes": "-2+3", "extra": "\t=cmd|' /C calc'!A0"})
    sheet = xlsx_rows(desk)
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert {'\'=HYPERLINK("http://evil.example") (notes)', "' @SUM(1) (extra)", "' =1+1", "'-2+3"} <= texts
    assert "'=cmd|' /C calc'!A0" in texts  # answers are stored stripped
    header, row = csv_rows(desk)
    assert '\'=HYPERLINK("http://evil.example") (notes)' in header and "' @SUM(1) (extra)" in header
    assert row[header.index("organisation")] == "' =1+1"
