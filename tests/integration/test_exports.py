"""Organisers export registrations as CSV and XLSX, with the custom-field
answers, read back with parsers we did not write (csv, openpyxl)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

FIELDS = [
    {
        "key": "diet",
        "kind": "choice",
        "label": {"it": "Pasto"},
        "options": [{"key": "veg", "label": {"it": "Vegetariano"}}, {"key": "std", "label": {"it": "Standard"}}],
    },
    {
        "key": "topics",
        "kind": "multiple_choice",
        "label": {"it": "Temi"},
        "options": [{"key": "a", "label": {"it": "Bilancio"}}, {"key": "b", "label": {"it": "Urbanistica"}}],
    },
    {"key": "notes", "kind": "text", "label": {"it": "Note"}},
]


def fill(desk):
    desk.as_organiser("put", "/form", json={"fields": FIELDS})
    desk.registered(1, organisation="Comune di Prova", answers={"diet": "veg", "topics": ["a", "b"], "notes": "Città"})
    desk.registered(2, organisation='=HYPERLINK("http://evil")', answers={"notes": "@SUM(1)"})
    desk.registered(3, organisation="Università di Esempio")  # waitlisted (capacity 2)


def test_the_csv_export_parses_with_the_csv_module_and_carries_the_answers(desk):
    fill(desk)
    response = desk.as_organiser("get", "/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["email"] for r in rows] == ["anna1@example.org", "anna2@example.org", "anna3@example.org"]
    assert rows[0]["Pasto (diet)"] == "Vegetariano" and rows[0]["Temi (topics)"] == "Bilancio; Urbanistica"
    assert rows[0]["Note (notes)"] == "Città"
    assert rows[2]["status"] == "waitlisted" and rows[2]["waitlist_position"] == "1"
    assert rows[1]["organisation"].startswith("'=") and rows[1]["Note (notes)"] == "'@SUM(1)"


def test_the_xlsx_export_opens_with_openpyxl_with_text_never_formulas(desk):
    fill(desk)
    response = desk.as_organiser("get", "/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:3] == ["registration_id", "status", "first_name"] and "Pasto (diet)" in header
    by_email = {row[header.index("email")]: row for row in rows[1:]}
    assert by_email["anna1@example.org"][header.index("Temi (topics)")] == "Bilancio; Urbanistica"
    evil = sheet.cell(row=3, column=header.index("organisation") + 1)
    assert evil.data_type == "s" and evil.value == '\'=HYPERLINK("http://evil")'


def test_exports_are_for_the_events_organisers_only(desk):
    assert desk.client.get(f"/api/v1/organiser/events/{desk.event['slug']}/export.csv").status_code == 401
    assert desk.as_organiser("get", "/export.xlsx", role="checkin").status_code == 403


def test_the_organiser_lists_filters_and_searches_registrations(desk):
    fill(desk)
    everyone = desk.as_organiser("get", "/registrations").get_json()
    assert everyone["total"] == 3 and everyone["items"][0]["answers"]["diet"] == "veg"
    waiting = desk.as_organiser("get", "/registrations?status=waitlisted").get_json()
    assert [r["email"] for r in waiting["items"]] == ["anna3@example.org"]
    found = desk.as_organiser("get", "/registrations?q=PROVA").get_json()
    assert [r["email"] for r in found["items"]] == ["anna1@example.org"]
    paged = desk.as_organiser("get", "/registrations?page=2&page_size=2").get_json()
    assert len(paged["items"]) == 1 and paged["total"] == 3
    assert desk.as_organiser("get", "/registrations?status=bogus").status_code == 422
