"""Microsoft Teams' attendance report (the meeting's Attendance tab >
Download, .csv): UTF-16 LE with a byte-order mark, tab-separated, in the
organiser's language. Numbered sections: "1. Summary" / "1. Riepilogo"
(title, start and end), "2. Participants" / "2. Partecipanti" (one row per
person: Name/Nome, First Join/Primo ingresso, Last Leave/Ultima uscita,
In-Meeting Duration/Durata riunione, Email/Posta elettronica, Participant
ID (UPN)/ID partecipante (UPN), Role/Ruolo) and "3. In-Meeting Activities"
/ "3. Attività durante la riunione" (one row per connection: Join
Time/Ora di ingresso, Leave Time/Ora di uscita). The connections are read
when the third section is there, else first join to last leave. Dates are
in the organiser's locale ("3/12/26, 9:58:12 AM", "12/3/26, 09:58:12")."""

from __future__ import annotations

import re

from .model import Clock, Person, ReportUnreadable
from .people import address, grouped, span
from .table import Table, find_table, header_key
from .text import Record

SECTION = re.compile(r"^\d+\.\s+\S")
NAME = ("name", "nome", "full name", "nome completo")
EMAIL = ("email", "e-mail", "posta elettronica", "indirizzo di posta elettronica", "indirizzo e-mail")
UPN = ("participant id (upn)", "id partecipante (upn)", "upn")
PARTICIPANTS = {
    "name": NAME,
    "email": EMAIL,
    "upn": UPN,
    "join": ("first join", "first join time", "primo ingresso", "primo accesso"),
    "leave": ("last leave", "last leave time", "ultima uscita"),
}
ACTIVITIES = {
    "name": NAME,
    "email": EMAIL,
    "upn": UPN,
    "join": ("join time", "ora di ingresso", "ora ingresso", "ora di accesso"),
    "leave": ("leave time", "ora di uscita", "ora uscita"),
}
SECTION_TITLES = ("1. summary", "1. riepilogo", "2. participants", "2. partecipanti")


def recognises(records: list[Record]) -> bool:
    for _, cells in records[:200]:
        keys = {header_key(cell) for cell in cells if cell}
        if keys & set(SECTION_TITLES) or (keys & set(UPN) and keys & set(PARTICIPANTS["join"])):
            return True
    return False


def parse(records: list[Record], clock: Clock) -> list[Person]:
    starts = [i for i, (_, cells) in enumerate(records) if cells and SECTION.match(cells[0])]
    activities = _section(records, starts, "3.")
    table = activities and find_table(records, ACTIVITIES, ("join", "leave"), start=activities[0], stop=activities[1])
    if not table:
        participants = _section(records, starts, "2.") or (0, None)
        table = find_table(records, PARTICIPANTS, ("join", "leave"), start=participants[0], stop=participants[1])
    if not table:
        raise ReportUnreadable("a Teams report without its participants' join and leave columns")
    return grouped([(r[0], table.cell(r, "name"), _email(table, r), span(table, r, clock)) for r in table])


def _section(records: list[Record], starts: list[int], number: str) -> tuple[int, int | None] | None:
    for position, index in enumerate(starts):
        if records[index][1][0].startswith(number):
            return index + 1, starts[position + 1] if position + 1 < len(starts) else None
    return None


def _email(table: Table, record: Record) -> str:
    return address(table.cell(record, "email")) or address(table.cell(record, "upn"))
