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
import tempfile
import zoneinfo
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import literal, select, tuple_
from sqlalchemy.orm import Session

from shared.db import UTCDateTime

from . import forms
from .forms import FieldSpec
from .models import Category, CheckIn, Listing, ProgrammeSession, Registration, WorkshopSignup
from .store.positions import waitlist_positions

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


BATCH = 1000  # registrations read at a time: memory stays bounded whatever the list's length


def header(session: Session, listing: Listing) -> list[str]:
    return STANDARD + [f"{f.label_it} ({f.key})" for f in forms.snapshot(session, listing).fields]


def rows(session: Session, listing: Listing) -> Iterator[list]:
    """Every registration not erased, in registration order, read in batches by
    keyset (created_at, id); each batch's workshops, check-ins and places in line
    come in one query each."""
    fields = forms.snapshot(session, listing).fields
    categories: dict[int | None, str] = {
        c.id: c.code for c in session.scalars(select(Category).where(Category.event_id == listing.id))
    }
    zone = zoneinfo.ZoneInfo(listing.timezone)
    for batch in _batches(session, listing):
        ids = [reg.id for reg in batch]
        chosen, checked = _workshops(session, listing, ids), _checkins(session, listing, ids)
        positions = waitlist_positions(session, listing.id, [reg.id for reg in batch if reg.status == "waitlisted"])
        for reg in batch:
            yield [
                reg.id,
                reg.status,
                reg.first_name,
                reg.last_name,
                reg.email,
                reg.organisation,
                reg.role,
                reg.locale,
                categories.get(reg.category_id, ""),
                positions.get(reg.id),
                "; ".join(chosen.get(reg.id, [])),
                "; ".join(checked.get(reg.id, [])),
                _local(reg.consent_at, zone),
                reg.consent_version or "",
                _local(reg.certified_at, zone),
                _local(reg.created_at, zone),
                *(_answer((reg.answers or {}).get(f.key), f) for f in fields),
            ]
        for reg in batch:
            session.expunge(reg)  # or the session would hold the whole list by the end


def csv_of(session: Session, listing: Listing) -> Iterator[str]:
    """The event's CSV export, piece by piece, for a streamed response."""
    return csv_chunks(header(session, listing), rows(session, listing))


def xlsx_file(session: Session, listing: Listing) -> IO[bytes]:
    """The event's XLSX export in an anonymous temporary file, read from its start;
    a zip is complete only at its end, so the file, not memory, holds it meanwhile."""
    target = tempfile.TemporaryFile()
    write_xlsx(header(session, listing), rows(session, listing), listing.title_it, target)
    target.seek(0)
    return target


def table(session: Session, listing: Listing) -> tuple[list[str], list[list]]:
    """(header, rows) as lists, for a caller that wants them all at once."""
    return header(session, listing), list(rows(session, listing))


def _batches(session: Session, listing: Listing) -> Iterator[list[Registration]]:
    query = (
        select(Registration)
        .where(Registration.event_id == listing.id, Registration.erased_at.is_(None))
        .order_by(Registration.created_at, Registration.id)
        .limit(BATCH)
    )
    batch = list(session.scalars(query))
    while batch:
        yield batch
        last = batch[-1]
        after = tuple_(Registration.created_at, Registration.id) > tuple_(
            literal(last.created_at, UTCDateTime()), literal(last.id)
        )
        batch = list(session.scalars(query.where(after))) if len(batch) == BATCH else []


def _workshops(session: Session, listing: Listing, ids: list[str]) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {}
    for signup, title in session.execute(
        select(WorkshopSignup, ProgrammeSession.title_it)
        .join(ProgrammeSession, ProgrammeSession.id == WorkshopSignup.session_id)
        .where(
            ProgrammeSession.event_id == listing.id,
            WorkshopSignup.status != "cancelled",
            WorkshopSignup.registration_id.in_(ids),
        )
        .order_by(ProgrammeSession.starts_at)
    ):
        chosen.setdefault(signup.registration_id, []).append(f"{title} [{signup.status}]")
    return chosen


def _checkins(session: Session, listing: Listing, ids: list[str]) -> dict[str, list[str]]:
    checked: dict[str, list[str]] = {}
    for registration_id, scope in session.execute(
        select(CheckIn.registration_id, CheckIn.scope)
        .where(CheckIn.event_id == listing.id, CheckIn.registration_id.in_(ids))
        .order_by(CheckIn.id)
    ):
        checked.setdefault(registration_id, []).append(scope)
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


def to_csv(header: list[str], rows: Iterable[list]) -> str:
    return "".join(csv_chunks(header, rows))


def csv_chunks(header: list[str], rows: Iterable[list], rows_per_chunk: int = 500) -> Iterator[str]:
    """The CSV as pieces of text to send one after another: the BOM (it lets
    Excel read UTF-8) and the header first, then `rows_per_chunk` rows a piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe(v) for v in header])
    yield "\ufeff" + _drain(buffer)
    for count, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else safe(v) for v in row])
        if count % rows_per_chunk == 0:
            yield _drain(buffer)
    if buffer.tell():
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def to_xlsx(header: list[str], rows: Iterable[list], title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(header, rows, title, buffer)
    return buffer.getvalue()


def write_xlsx(header: list[str], rows: Iterable[list], title: str, target: IO[bytes]) -> None:
    """The workbook written row by row (openpyxl's write-only mode keeps the
    rows in its own temporary file, not in memory) into `target`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_cell(sheet, value) for value in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    workbook.save(target)


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=safe(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in cell_text(title) if c not in "[]:*?/\\'")
    return (cleaned.strip() or "Iscrizioni")[:31]
