"""Participant lists for organisers as CSV and XLSX, with one column per
custom field. Every text cell, the header's field labels included, goes
through `cell_text`: a value that a spreadsheet would run as a formula
(starting with = + - @, also after spaces, tabs or line breaks) gets a
leading ', characters that an XLSX file cannot hold (control characters
stored before the forms refused them) become U+FFFD, and the bidi override
controls, which only make a value display as something else, are dropped.
So one bad value never breaks the export for everyone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zoneinfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import forms
from .forms import FieldSpec
from .models import Category, CheckIn, Listing, ProgrammeSession, Registration, WorkshopSignup
from .store.positions import waitlist_position

STANDARD = [
    "registration_id",
    "status",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "role",
    "locale",
    "category",
    "waitlist_position",
    "workshops",
    "checkins",
    "consent_at",
    "consent_version",
    "certified_at",
    "created_at",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# What no XLSX cell can hold (XML 1.0: C0 controls but tab, LF and CR; lone
# surrogates; U+FFFE, U+FFFF), and the bidi embeddings and overrides.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")


def table(session: Session, listing: Listing) -> tuple[list[str], list[list]]:
    """(header, rows) of every registration not erased, in registration order."""
    fields = forms.snapshot(session, listing).fields
    header = STANDARD + [f"{f.label_it} ({f.key})" for f in fields]
    categories: dict[int | None, str] = {
        c.id: c.code for c in session.scalars(select(Category).where(Category.event_id == listing.id))
    }
    chosen, checked = _workshops(session, listing), _checkins(session, listing)
    zone, rows = zoneinfo.ZoneInfo(listing.timezone), list[list]()
    for reg in session.scalars(
        select(Registration)
        .where(Registration.event_id == listing.id, Registration.erased_at.is_(None))
        .order_by(Registration.created_at, Registration.id)
    ):
        rows.append(
            [
                reg.id,
                reg.status,
                reg.first_name,
                reg.last_name,
                reg.email,
                reg.organisation,
                reg.role,
                reg.locale,
                categories.get(reg.category_id, ""),
                waitlist_position(session, reg),
                "; ".join(chosen.get(reg.id, [])),
                "; ".join(checked.get(reg.id, [])),
                _local(reg.consent_at, zone),
                reg.consent_version or "",
                _local(reg.certified_at, zone),
                _local(reg.created_at, zone),
                *(_answer((reg.answers or {}).get(f.key), f) for f in fields),
            ]
        )
    return header, rows


def _workshops(session: Session, listing: Listing) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {}
    for signup, title in session.execute(
        select(WorkshopSignup, ProgrammeSession.title_it)
        .join(ProgrammeSession, ProgrammeSession.id == WorkshopSignup.session_id)
        .where(ProgrammeSession.event_id == listing.id, WorkshopSignup.status != "cancelled")
        .order_by(ProgrammeSession.starts_at)
    ):
        chosen.setdefault(signup.registration_id, []).append(f"{title} [{signup.status}]")
    return chosen


def _checkins(session: Session, listing: Listing) -> dict[str, list[str]]:
    checked: dict[str, list[str]] = {}
    for checkin in session.scalars(select(CheckIn).where(CheckIn.event_id == listing.id).order_by(CheckIn.id)):
        checked.setdefault(checkin.registration_id, []).append(checkin.scope)
    return checked


def _local(moment: dt.datetime | None, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _answer(value, field: FieldSpec) -> str | float | int:
    labels = {o.key: o.label_it for o in field.options}
    if isinstance(value, list):
        return "; ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "sì" if value else "no"
    if value is None:
        return ""
    return labels.get(value, value) if isinstance(value, str) else value


def cell_text(value: str) -> str:
    """A text as an export cell: writable, displayed as it is, never a formula."""
    value = BIDI_OVERRIDES.sub("", UNWRITABLE.sub("\ufffd", value))
    return "'" + value if value.lstrip().startswith(FORMULA_STARTS) or value.startswith(FORMULA_STARTS) else value


def safe(value):
    """A cell's value with its text made safe (numbers and dates as they are)."""
    return cell_text(value) if isinstance(value, str) else value


def to_csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe(v) for v in header])
    writer.writerows([["" if v is None else safe(v) for v in row] for row in rows])
    return "\ufeff" + buffer.getvalue()  # the BOM lets Excel read UTF-8


def to_xlsx(header: list[str], rows: list[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_cell(sheet, value) for value in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=safe(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in cell_text(title) if c not in "[]:*?/\\'")
    return (cleaned.strip() or "Iscrizioni")[:31]
