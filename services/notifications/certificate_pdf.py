"""The certificate of attendance as a PDF (fpdf2): participant, event, dates,
hours attended and the organisers, in the participant's language. A pure
function: same facts, same bytes (the creation date is the certification
time). DejaVu Sans (CERTIFICATE_FONT) covers every European name; without
it the PDF core font is used and letters outside Latin-1 are simplified."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from shared.formatting import format_when, type_label

from .mail.mail_context import format_moment

WORDS = {
    "it": {
        "title": "ATTESTATO DI PARTECIPAZIONE",
        "certify": "Si attesta che",
        "attended": "ha partecipato a",
        "hours": "per {hours} ore di presenza su {total} ({percent}% della durata)",
        "organisers": "Organizzato da",
        "issued": "Rilasciato il {date}",
        "ref": "Riferimento",
    },
    "en": {
        "title": "CERTIFICATE OF ATTENDANCE",
        "certify": "This is to certify that",
        "attended": "attended",
        "hours": "for {hours} hours out of {total} ({percent}% of the programme)",
        "organisers": "Organised by",
        "issued": "Issued on {date}",
        "ref": "Reference",
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


def format_hours(minutes: int, language: str) -> str:
    """180 -> '3', 150 -> '2,5' (it) / '2.5' (en)."""
    value = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return value.replace(".", ",") if language == "it" else value


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
    return bytes(pdf.output())


def _lines(pdf: FPDF, family: str, text, facts: CertificateFacts, words: dict) -> None:
    lang = facts.language
    hours = words["hours"].format(
        hours=format_hours(facts.minutes_attended, lang),
        total=format_hours(facts.total_minutes, lang),
        percent=round(facts.percent),
    )
    when = format_when(facts.starts_at, facts.ends_at, facts.timezone, lang)
    rows = [
        (26, 24, words["title"]),
        (16, 14, words["certify"]),
        (22, 26, facts.participant_name),
        (10, 12, facts.organisation),
        (14, 12, words["attended"]),
        (18, 22, facts.event_title),
        (
            10,
            12,
            " · ".join(
                p for p in (type_label(facts.event_type, lang) if facts.event_type else "", when, facts.venue) if p
            ),
        ),
        (14, 14, hours),
        (12, 11, f"{words['organisers']}: {', '.join(facts.organisers)}"),
        (8, 10, words["issued"].format(date=format_moment(facts.certified_at, facts.timezone, lang))),
        (6, 8, f"{words['ref']}: {facts.reference}"),
    ]
    pdf.set_y(24)
    for height, size, line in rows:
        pdf.set_font(family, size=size)
        pdf.multi_cell(
            0, height / 1.6 if len(line) > 90 else height, text(line), align="C", new_x="LMARGIN", new_y="NEXT"
        )


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
