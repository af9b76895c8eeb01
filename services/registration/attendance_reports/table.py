"""A table inside a report: its header row found by the column names a
layout knows (in any of their spellings and languages), the rows under it
up to the first blank row, and cells read by column with errors that name
the row and the column as the file has them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from .model import ReportUnreadable
from .text import Record

T = TypeVar("T")
Aliases = Mapping[str, tuple[str, ...]]  # our column name -> the headers that mean it (lower case)


def header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').lower().split())


@dataclass
class Table:
    header_row: int
    columns: dict[str, int]  # our column name -> index
    headers: dict[str, str]  # our column name -> the header as written
    rows: list[Record]

    def has(self, name: str) -> bool:
        return name in self.columns

    def cell(self, record: Record, name: str) -> str:
        index = self.columns.get(name)
        cells = record[1]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def read(self, record: Record, name: str, parse: Callable[[str], T], what: str) -> T:
        """The cell parsed; a ValueError becomes "row N, column 'Header': not <what>"."""
        value = self.cell(record, name)
        try:
            return parse(value)
        except ValueError:
            shown = f" ({value[:40]!r})" if value else ""
            raise ReportUnreadable(f"row {record[0]}, column '{self.headers[name]}': not {what}{shown}") from None

    def __iter__(self) -> Iterator[Record]:
        return iter(self.rows)


def find_table(
    records: list[Record], aliases: Aliases, required: tuple[str, ...], *, start: int = 0, stop: int | None = None
) -> Table | None:
    """The first row among records[start:stop] naming every `required` column, and the rows below it."""
    window = records[start:stop]
    for offset, (number, cells) in enumerate(window):
        keys = [header_key(cell) for cell in cells]
        columns, headers = {}, {}
        for name, spellings in aliases.items():
            for index, key in enumerate(keys):
                if key in spellings:
                    columns[name], headers[name] = index, cells[index].strip()
                    break
        if all(name in columns for name in required):
            rows = []
            for record in window[offset + 1 :]:
                if not any(record[1]):
                    break
                rows.append(record)
            return Table(number, columns, headers, rows)
    return None


def header_rows(records: list[Record], limit: int = 60) -> list[set[str]]:
    """The header keys of the first rows, for a detector to look at."""
    return [{header_key(cell) for cell in cells if cell} for _, cells in records[:limit]]
