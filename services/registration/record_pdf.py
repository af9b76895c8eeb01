"""A person's training record as a PDF (fpdf2), in their language: one line
per event (dates, title, hours, credits, certificate id), the hours per year
and the credits by type. The PDF core font holds Latin-1; other letters are
simplified to their base letter."""

from __future__ import annotations

import unicodedata
import zoneinfo

from fpdf import FPDF

from .training_records import TrainingRecord

WORDS = {
    "it": {
        "title": "Libretto formativo",
        "of": "di {name} <{email}>",
        "events": "Eventi frequentati",
        "hours": "{hours} ore",
        "years": "Ore per anno",
        "credits": "Crediti per tipo",
        "certificate": "Attestato {id}",
        "revoked": "Attestato {id}: non più disponibile",
        "none": "Nessun evento frequentato.",
    },
    "en": {
        "title": "Training record",
        "of": "of {name} <{email}>",
        "events": "Events attended",
        "hours": "{hours} hours",
        "years": "Hours per year",
        "credits": "Credits by type",
        "certificate": "Certificate {id}",
        "revoked": "Certificate {id}: no longer available",
        "none": "No event attended.",
    },
}


def latin1(text: str) -> str:
    simplified = "".join(c if ord(c) < 256 else unicodedata.normalize("NFKD", c)[0] for c in text)
    return "".join(c if ord(c) < 256 else "?" for c in simplified)


def record_pdf(record: TrainingRecord, language: str) -> bytes:
    words = WORDS.get(language, WORDS["it"])
    pdf = FPDF()
    pdf.set_creator("Eventi")
    pdf.set_title(words["title"])
    pdf.add_page()

    def line(text: str, size: int = 11, style: str = "", height: float = 6) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, height, latin1(text), new_x="LMARGIN", new_y="NEXT")

    line(words["title"], 18, "B", 10)
    line(words["of"].format(name=f"{record.first_name} {record.last_name}".strip(), email=record.email))
    pdf.ln(4)
    line(words["events"], 13, "B", 8)
    if not record.entries:
        line(words["none"])
    for entry in record.entries:
        zone = zoneinfo.ZoneInfo(entry.timezone)
        starts, ends = entry.starts_at.astimezone(zone).date(), entry.ends_at.astimezone(zone).date()
        dates = starts.isoformat() if starts == ends else f"{starts.isoformat()} - {ends.isoformat()}"
        title = (entry.title.get(language) if language != "it" else None) or entry.title["it"]
        line(f"{dates}  {title}", 11, "B")
        details = [words["hours"].format(hours=f"{entry.hours:g}")]
        details += [f"{c['amount']:g} {c.get('unit') or ''} {_name(c, language)}".strip() for c in entry.credits]
        if entry.certificate:
            key = "revoked" if entry.certificate.status == "revoked" else "certificate"
            details.append(words[key].format(id=entry.certificate.certificate_id))
        line(" · ".join(details).replace("·", "-"), 10)
        pdf.ln(1)
    pdf.ln(3)
    line(words["years"], 13, "B", 8)
    for year, hours in record.hours_by_year.items():
        line(f"{year}: {words['hours'].format(hours=f'{hours:g}')}")
    if record.credits_by_type:
        pdf.ln(3)
        line(words["credits"], 13, "B", 8)
        for credit in record.credits_by_type:
            line(f"{_name(credit, language)}: {credit['amount']:g} {credit['unit']}".strip())
    return bytes(pdf.output())


def _name(credit: dict, language: str) -> str:
    return (credit["name"].get(language) if language != "it" else None) or credit["name"].get("it") or ""
