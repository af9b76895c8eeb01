"""Name badges as a PDF (fpdf2): A4 sheets of eight 90 x 55 mm badges to cut,
or one A6 badge per page for badge printers. Each badge carries the person's
name, organisation and category and the QR code of their check-in code (the
same signed code as their personal page, checkin.py), so the desk scans the
badge. Registrations are read in batches of BATCH rows, alphabetically, and
one file holds at most MAX_BADGES of them (the rest in the next `part`):
the PDF is built in memory, so this bounds the memory a request can take."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import segno
from fpdf import FPDF
from PIL import Image
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .checkin import checkin_code
from .models import Category, Listing, Registration
from .record_pdf import latin1

LAYOUTS = ("a4", "a6")
MAX_BADGES = 2000  # 250 A4 sheets; a larger list comes in parts
BATCH = 500
MASK = 2  # QR mask pattern 010: vertical stripes of width 3
QUIET = 2  # modules of white around the code (the badge's own margin adds to it)
BADGE_W, BADGE_H = 90.0, 55.0
A4_COLUMNS, A4_ROWS = 2, 4
A4_LEFT, A4_TOP = (210 - A4_COLUMNS * BADGE_W) / 2, (297 - A4_ROWS * BADGE_H) / 2


@dataclass(frozen=True)
class Badge:
    name: str
    organisation: str
    category: str
    code: str


def parts_of(session: Session, query: Select[Registration]) -> int:
    """How many files the badges of `query` take (at least one, empty or not)."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return max((total + MAX_BADGES - 1) // MAX_BADGES, 1)


def badges_of(
    session: Session, listing: Listing, query: Select[Registration], *, secret: str, part: int = 1
) -> Iterator[Badge]:
    """The badges of part `part` of `query`, by last name, first name, id."""
    labels = {c.id: c.label_it for c in session.scalars(select(Category).where(Category.event_id == listing.id))}
    ordered = query.with_only_columns(
        Registration.id,
        Registration.first_name,
        Registration.last_name,
        Registration.organisation,
        Registration.category_id,
    ).order_by(Registration.last_name, Registration.first_name, Registration.id)
    rows = session.execute(ordered.offset((part - 1) * MAX_BADGES).limit(MAX_BADGES).execution_options(yield_per=BATCH))
    for registration_id, first_name, last_name, organisation, category_id in rows:
        yield Badge(
            f"{first_name} {last_name}".strip(),
            organisation or "",
            labels.get(category_id, "") if category_id else "",
            checkin_code(secret, registration_id),
        )


def badge_pdf(listing: Listing, badges: Iterator[Badge], layout: str = "a4") -> bytes:
    """The PDF of `badges`: A4 sheets of eight, or A6 one per page."""
    pdf = FPDF(format="A4" if layout == "a4" else (105, 148))  # fpdf2 names no A6
    pdf.set_creator("Eventi")
    pdf.set_title(latin1(f"Badge - {listing.title_it}"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    event = latin1(listing.title_it)
    count = 0
    for index, badge in enumerate(badges):
        count += 1
        if layout == "a4":
            slot = index % (A4_COLUMNS * A4_ROWS)
            if slot == 0:
                pdf.add_page()
            x = A4_LEFT + (slot % A4_COLUMNS) * BADGE_W
            y = A4_TOP + (slot // A4_COLUMNS) * BADGE_H
            _a4_badge(pdf, event, badge, x, y)
        else:
            pdf.add_page()
            _a6_badge(pdf, event, badge)
    if not count:
        pdf.add_page()  # an empty selection is an empty page, not a broken file
    return bytes(pdf.output())


def _a4_badge(pdf: FPDF, event: str, badge: Badge, x: float, y: float) -> None:
    pdf.set_draw_color(190, 190, 190)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, BADGE_W, BADGE_H)  # the cutting line
    qr = 30.0
    text_w = BADGE_W - qr - 10
    pdf.set_text_color(92, 111, 130)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_xy(x + 4, y + 4)
    pdf.cell(BADGE_W - 8, 4, _fit(pdf, event, BADGE_W - 8))
    pdf.set_text_color(26, 26, 26)
    pdf.set_xy(x + 4, y + 12)
    _name(pdf, badge.name, text_w, 16)
    pdf.set_font("Helvetica", "", 9)
    pdf.set_x(x + 4)
    pdf.multi_cell(text_w, 4.2, latin1(badge.organisation), max_line_height=4.2)
    if badge.category:
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_xy(x + 4, y + BADGE_H - 9)
        pdf.cell(text_w, 5, _fit(pdf, latin1(badge.category), text_w))
    pdf.image(_qr_image(badge.code), x=x + BADGE_W - qr - 3, y=y + BADGE_H - qr - 4, w=qr, h=qr)


def _a6_badge(pdf: FPDF, event: str, badge: Badge) -> None:
    width, qr = 105.0 - 16, 44.0
    pdf.set_text_color(92, 111, 130)
    pdf.set_font("Helvetica", "", 9)
    pdf.set_xy(8, 8)
    pdf.multi_cell(width, 4.5, event, align="C")
    pdf.set_text_color(26, 26, 26)
    pdf.set_xy(8, 26)
    _name(pdf, badge.name, width, 22, align="C")
    pdf.set_font("Helvetica", "", 12)
    pdf.set_x(8)
    pdf.multi_cell(width, 6, latin1(badge.organisation), align="C")
    if badge.category:
        pdf.set_font("Helvetica", "B", 12)
        pdf.set_x(8)
        pdf.multi_cell(width, 7, latin1(badge.category), align="C")
    pdf.image(_qr_image(badge.code), x=(105 - qr) / 2, y=148 - qr - 10, w=qr, h=qr)


def _name(pdf: FPDF, name: str, width: float, size: float, align: str = "L") -> None:
    """The name as large as fits on two lines: long names step the size down."""
    text = latin1(name)
    pdf.set_font("Helvetica", "B", size)
    while size > 9 and pdf.get_string_width(text) > 2 * width:
        size -= 1
        pdf.set_font("Helvetica", "B", size)
    start = pdf.get_x()
    pdf.multi_cell(width, size * 0.45, text, align=align, max_line_height=size * 0.45)
    pdf.set_x(start)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "...") > width:
        text = text[:-1]
    return text + "..."


def _qr_image(code: str) -> Image.Image:
    """One pixel per module (the PDF scales it without smoothing), made from
    the code's matrix without a PNG round trip, and a fixed mask: choosing the
    best of eight masks was most of a badge's time, and any mask makes a
    valid code (ISO/IEC 18004)."""
    matrix = segno.make(code, error="m", mask=MASK).matrix
    side = len(matrix) + 2 * QUIET
    blank = b"\xff" * side
    rows = (
        [blank] * QUIET
        + [b"\xff" * QUIET + bytes(0 if dark else 255 for dark in row) + b"\xff" * QUIET for row in matrix]
        + [blank] * QUIET
    )
    return Image.frombytes("L", (side, side), b"".join(rows))
