"""The certificate of attendance as a PDF (fpdf2): participant, event, dates,
hours attended, credits by type and the organisers, in the participant's
language, with the certificate id, the verification address and its QR code
(segno). A pure function: same facts, same bytes (the creation date is the
certification time); certificate_signing.py signs the result. DejaVu Sans
(CERTIFICATE_FONT) covers every European name; without it the PDF core font
is used and letters outside Latin-1 are simplified."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

from shared.formatting import format_when, type_label

from .mail.mail_context import format_moment

WORDS = {
    "it": {
        "title": "ATTESTATO DI PARTECIPAZIONE",
        "certify": "Si attesta che",
        "attended": "ha partecipato a",
        "hours": "per {hours} ore di presenza su {total} ({percent}% della durata)",
        "training_hours": "per {hours} ore di formazione ({percent}% di presenza)",
        "credits": "Crediti",
        "test": "Test finale superato con il {score}%",
        "organisers": "Organizzato da",
        "issued": "Rilasciato il {date}",
        "ref": "Riferimento",
        "id": "Attestato n.",
        "verify": "Verifica l'autenticità su",
    },
    "en": {
        "title": "CERTIFICATE OF ATTENDANCE",
        "certify": "This is to certify that",
        "attended": "attended",
        "hours": "for {hours} hours out of {total} ({percent}% of the programme)",
        "training_hours": "for {hours} hours of training ({percent}% attendance)",
        "credits": "Credits",
        "test": "Final test passed with {score}%",
        "organisers": "Organised by",
        "issued": "Issued on {date}",
        "ref": "Reference",
        "id": "Certificate no.",
        "verify": "Check that it is genuine at",
    },
}


@dataclass(frozen=True)
class CertificateFacts:
    language: str
    participant_name: str
    organisation: str
    event_title: str
    event_type: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    venue: str
    minutes_attended: int
    total_minutes: int
    percent: float
    organisers: tuple[str, ...]
    certified_at: dt.datetime
    reference: str
    certificate_id: str = ""
    verification_url: str = ""  # printed and as a QR code; none: no verification block
    hours_total: float | None = None  # the certified hours of training, when the rules count them
    credits: tuple[tuple[str, float, str], ...] = ()  # (type name, amount, unit)
    final_test_score: float | None = None


def format_number(value: float, language: str) -> str:
    """3.0 -> '3', 2.5 -> '2,5' (it) / '2.5' (en)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "it" else text


def format_hours(minutes: int, language: str) -> str:
    """180 -> '3', 150 -> '2,5' (it) / '2.5' (en)."""
    return format_number(minutes / 60, language)


def certificate_pdf(facts: CertificateFacts, font: Path | None = None) -> bytes:
    words = WORDS.get(facts.language, WORDS["it"])
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(facts.certified_at)
    pdf.set_title(f"{words['title'].title()} - {facts.event_title}")
    pdf.set_author(", ".join(facts.organisers))
    pdf.set_creator("Eventi")
    pdf.set_lang(facts.language)
    family, text = _font(pdf, font)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    _lines(pdf, family, text, facts, words)
    if facts.verification_url:
        _verification(pdf, family, text, facts, words)
    return bytes(pdf.output())


def _hours(facts: CertificateFacts, words: dict) -> str:
    lang = facts.language
    if facts.hours_total is not None:
        hours = format_number(facts.hours_total, lang)
        return words["training_hours"].format(hours=hours, percent=round(facts.percent))
    return words["hours"].format(
        hours=format_hours(facts.minutes_attended, lang),
        total=format_hours(facts.total_minutes, lang),
        percent=round(facts.percent),
    )


def _credits(facts: CertificateFacts, words: dict) -> str:
    if not facts.credits:
        return ""
    amounts = (f"{format_number(amount, facts.language)} {unit or name}" for name, amount, unit in facts.credits)
    names = (f" ({name})" if unit and name else "" for name, _amount, unit in facts.credits)
    return f"{words['credits']}: " + ", ".join(a + n for a, n in zip(amounts, names, strict=True))


def _lines(pdf: FPDF, family: str, text, facts: CertificateFacts, words: dict) -> None:
    lang = facts.language
    hours = _hours(facts, words)
    score = facts.final_test_score
    when = format_when(facts.starts_at, facts.ends_at, facts.timezone, lang)
    details = (type_label(facts.event_type, lang) if facts.event_type else "", when, facts.venue)
    rows = [  # (line height in mm, font size, text); the rows end above the verification band
        (22, 24, words["title"]),
        (12, 14, words["certify"]),
        (20, 26, facts.participant_name),
        (8, 12, facts.organisation),
        (10, 12, words["attended"]),
        (16, 22, facts.event_title),
        (9, 12, " · ".join(p for p in details if p)),
        (11, 14, hours),
        (8, 11, _credits(facts, words)),
        (8, 11, words["test"].format(score=format_number(score, lang)) if score is not None else ""),
        (9, 11, f"{words['organisers']}: {', '.join(facts.organisers)}"),
        (7, 10, words["issued"].format(date=format_moment(facts.certified_at, facts.timezone, lang))),
        (6, 8, "" if facts.verification_url else f"{words['ref']}: {facts.reference}"),
    ]
    pdf.set_y(18)
    for height, size, line in rows:
        if not line:
            continue
        pdf.set_font(family, size=size)
        pdf.multi_cell(
            0, height / 1.6 if len(line) > 90 else height, text(line), align="C", new_x="LMARGIN", new_y="NEXT"
        )


QR_SIZE = 30  # mm, bottom right inside the frame


def _verification(pdf: FPDF, family: str, text, facts: CertificateFacts, words: dict) -> None:
    """The id and the address on the left of the bottom band, the QR code of
    the address on the right: a phone opens the verification page."""
    png = io.BytesIO()
    segno.make(facts.verification_url, error="m").save(png, kind="png", scale=8, border=2)
    pdf.image(png, x=287 - 12 - QR_SIZE, y=200 - 6 - QR_SIZE, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(22, 200 - 6 - QR_SIZE + 8)
    pdf.set_font(family, size=9)
    pdf.cell(0, 5, text(f"{words['id']} {facts.certificate_id}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(22)
    pdf.cell(0, 5, text(words["verify"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(22)
    pdf.cell(0, 5, text(facts.verification_url), link=facts.verification_url)


def _font(pdf: FPDF, font: Path | None):
    if font is not None and font.exists():
        pdf.add_font("CertificateFont", fname=str(font))
        return "CertificateFont", lambda line: line
    return "Helvetica", _latin1


SIMPLER = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Œ": "OE",
        "œ": "oe",
        "Ħ": "H",
        "ħ": "h",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "€": "EUR",
    }
)


def _latin1(line: str) -> str:
    """What the core font can show: Latin-1 as is, other letters without accents."""
    if all(ord(c) < 256 for c in line):
        return line
    line = line.translate(SIMPLER)
    simplified = "".join(c if ord(c) < 256 else unicodedata.normalize("NFKD", c)[0] for c in line)
    return "".join(c if ord(c) < 256 else "?" for c in simplified)
