"""From the uploaded bytes to records: the encoding (Teams writes UTF-16 with
a byte-order mark, Excel may add a UTF-8 one, older exports are Windows-1252)
and the separator (tab, comma or semicolon)."""

from __future__ import annotations

import codecs
import csv
import io

from .model import ReportUnreadable

MAX_REPORT_BYTES = 1000 * 1024  # under the service's 1 MiB body limit, with room for the form
Record = tuple[int, list[str]]  # (row number in the file, counting from 1; cells)


def decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if len(content) > 3 and content[1] == 0 and content[3] == 0:  # UTF-16 LE written without its mark
        return content.decode("utf-16-le", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def records(content: bytes) -> list[Record]:
    """Every row of the file with its number; blank rows kept (they end sections)."""
    if len(content) > MAX_REPORT_BYTES:
        raise ReportUnreadable(f"the file is larger than {MAX_REPORT_BYTES // 1024} KiB")
    if not content.strip():
        raise ReportUnreadable("the file is empty")
    text = decode(content).replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    try:
        return [(number, [cell.strip() for cell in row]) for number, row in enumerate(reader, 1)]
    except csv.Error as exc:
        raise ReportUnreadable(f"row {reader.line_num}: {exc}") from None


def _separator(text: str) -> str:
    sample = [line for line in text.splitlines()[:40] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in ("\t", ",", ";")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
