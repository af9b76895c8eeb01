"""Organisers print name badges: A4 sheets of eight or A6 one per page, for
the confirmed people or the registrations page's filters. Read back with
pypdf (text, pages, sizes) and zxing-cpp (the QR codes), parsers we did not
write: each QR holds the person's check-in code, which the desk accepts."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from pypdf import PdfReader

from services.registration import badges
from services.registration.checkin import registration_id_from
from shared.web.auth import COOKIE
from tests.integration.registration_support import OTHER_ORG

MM = 72 / 25.4


def logged_in(desk, **headers):
    desk.client.set_cookie(COOKIE, desk.headers(**headers)["Authorization"].split(" ", 1)[1])
    return desk


def sheet(desk, **args):
    response = desk.client.get(f"/organiser/events/{desk.event['slug']}/badges.pdf", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf" and "attachment" in response.headers["Content-Disposition"]
    return PdfReader(io.BytesIO(response.data))


def codes_on(page) -> list[str]:
    return [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)]


def test_an_a4_sheet_holds_eight_badges_with_name_organisation_category_and_a_working_qr(desk):
    desk.deliver("event.updated", capacity=20)
    categories = [{"code": "staff", "label": {"it": "Personale comunale"}}]
    assert desk.as_organiser("put", "/categories", json={"categories": categories}).status_code == 200
    for n in range(1, 10):
        desk.registered(n, organisation=f"Comune {n}", category="staff")
    pdf = sheet(logged_in(desk), layout="a4")
    assert len(pdf.pages) == 2  # 9 badges: eight, then one
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width / MM), round(height / MM)) == (210, 297)
    text = pdf.pages[0].extract_text()
    assert "Anna1 Bianchi" in text and "Comune 1" in text and "Personale comunale" in text
    first_page_codes = codes_on(pdf.pages[0])
    assert len(first_page_codes) == 8
    ids = {registration_id_from(desk.settings.secret_key, code) for code in first_page_codes + codes_on(pdf.pages[1])}
    assert len(ids) == 9
    scanned = desk.as_organiser(
        "post",
        "/checkins",
        role="checkin",
        json={"code": first_page_codes[0], "day": desk.starts_at.date().isoformat()},
    )
    assert scanned.status_code == 201  # the badge's code is the check-in code


def test_a6_is_one_badge_per_page_and_the_filters_of_the_list_apply(desk):
    for n in (1, 2, 3):  # capacity 2: the third waits
        desk.registered(n, organisation="Università di Esempio" if n == 2 else "Comune di Prova")
    logged_in(desk)
    confirmed = sheet(desk, layout="a6")
    assert len(confirmed.pages) == 2
    assert (
        round(float(confirmed.pages[0].mediabox.width) / MM),
        round(float(confirmed.pages[0].mediabox.height) / MM),
    ) == (105, 148)
    assert len(codes_on(confirmed.pages[0])) == 1
    searched = sheet(desk, layout="a6", q="esempio")
    assert len(searched.pages) == 1 and "Anna2 Bianchi" in searched.pages[0].extract_text()
    waiting = sheet(desk, layout="a6", status="waitlisted")
    assert len(waiting.pages) == 1 and "Anna3 Bianchi" in waiting.pages[0].extract_text()
    nobody = sheet(desk, status="cancelled")
    assert len(nobody.pages) == 1 and not codes_on(nobody.pages[0])  # an empty page, not a broken file


def test_a_long_list_comes_in_parts_of_bounded_size(desk, monkeypatch):
    monkeypatch.setattr(badges, "MAX_BADGES", 1)
    desk.registered(1)
    desk.registered(2)
    logged_in(desk)
    response = desk.client.get(f"/organiser/events/{desk.event['slug']}/badges.pdf?part=2")
    assert response.status_code == 200 and response.headers["X-Badge-Parts"] == "2"
    assert "Anna2 Bianchi" in PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert desk.client.get(f"/organiser/events/{desk.event['slug']}/badges.pdf?part=3").status_code == 422


@pytest.mark.parametrize("query", ["layout=a3", "status=bogus", "part=0", "part=x"])
def test_a_bad_argument_is_a_422_page(sqlite_desk, query):
    logged_in(sqlite_desk)
    response = sqlite_desk.client.get(f"/organiser/events/{sqlite_desk.event['slug']}/badges.pdf?{query}")
    assert response.status_code == 422 and "text/html" in response.content_type


def test_badges_are_for_the_events_organisers_only(sqlite_desk):
    path = f"/organiser/events/{sqlite_desk.event['slug']}/badges.pdf"
    assert sqlite_desk.client.get(path).status_code in (302, 303)  # to the login
    assert logged_in(sqlite_desk, organisation=OTHER_ORG).client.get(path).status_code == 404
    assert logged_in(sqlite_desk, role="checkin").client.get(path).status_code == 403
