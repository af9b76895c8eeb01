"""Build the bytes of each platform's attendance report from rows of
(name, email, join, leave), the times given as aware datetimes and written
as each platform writes them (local time of `zone`)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zoneinfo

Row = tuple[str, str, dt.datetime, dt.datetime]
ROME = zoneinfo.ZoneInfo("Europe/Rome")


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _local(moment: dt.datetime, zone=ROME) -> dt.datetime:
    return moment.astimezone(zone)


def zoom(rows: list[Row], *, meeting_data: bool = True, zone=ROME) -> bytes:
    """Zoom's participants export: the meeting block, a blank row, one row per connection."""
    us = "%m/%d/%Y %I:%M:%S %p"
    lines: list[list[str]] = []
    if meeting_data:
        first = min(r[2] for r in rows)
        lines += [
            ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)", "Participants"],
            [
                "812 3456 7890",
                "Bilancio partecipativo",
                _local(first, zone).strftime(us),
                "",
                "host@example.org",
                "240",
                str(len(rows)),
            ],
            [],
        ]
    lines.append(
        [
            "Name (Original Name)",
            "User Email",
            "Join Time",
            "Leave Time",
            "Duration (Minutes)",
            "Guest",
            "Recording Consent",
        ]
    )
    for name, email, joined, left in rows:
        minutes = int((left - joined).total_seconds() // 60)
        lines.append(
            [
                name,
                email,
                _local(joined, zone).strftime(us),
                _local(left, zone).strftime(us),
                str(minutes),
                "No" if email else "Yes",
                "Y",
            ]
        )
    return _csv(lines).encode("utf-8")


TEAMS_IT = {
    "summary": "1. Riepilogo",
    "participants": "2. Partecipanti",
    "activities": "3. Attività durante la riunione",
    "title": "Titolo riunione",
    "p_header": [
        "Nome",
        "Primo ingresso",
        "Ultima uscita",
        "Durata riunione",
        "Posta elettronica",
        "ID partecipante (UPN)",
        "Ruolo",
    ],
    "a_header": ["Nome", "Ora di ingresso", "Ora di uscita", "Durata", "Posta elettronica", "Ruolo"],
    "date": "%d/%m/%y, %H:%M:%S",
    "role": "Partecipante",
}
TEAMS_EN = {
    "summary": "1. Summary",
    "participants": "2. Participants",
    "activities": "3. In-Meeting Activities",
    "title": "Meeting title",
    "p_header": ["Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)", "Role"],
    "a_header": ["Name", "Join Time", "Leave Time", "Duration", "Email", "Role"],
    "date": "%m/%d/%y, %I:%M:%S %p",
    "role": "Attendee",
}


def teams(rows: list[Row], *, words=TEAMS_IT, activities: bool = True, zone=ROME) -> bytes:
    """Teams' attendance report: UTF-16 LE with its BOM, tab-separated, three sections."""
    fmt = words["date"]
    people: dict[str, list[Row]] = {}
    for row in rows:
        people.setdefault(row[1] or row[0], []).append(row)
    lines: list[list[str]] = [
        [words["summary"]],
        [words["title"], "Bilancio partecipativo"],
        [],
        [words["participants"]],
        words["p_header"],
    ]
    for connections in people.values():
        name, email = connections[0][0], connections[0][1]
        first, last = min(c[2] for c in connections), max(c[3] for c in connections)
        lines.append(
            [
                name,
                _local(first, zone).strftime(fmt),
                _local(last, zone).strftime(fmt),
                "1h 2m",
                email,
                email,
                words["role"],
            ]
        )
    if activities:
        lines += [[], [words["activities"]], words["a_header"]]
        for name, email, joined, left in rows:
            lines.append(
                [
                    name,
                    _local(joined, zone).strftime(fmt),
                    _local(left, zone).strftime(fmt),
                    "30m 0s",
                    email,
                    words["role"],
                ]
            )
    return codecs.BOM_UTF16_LE + _csv(lines, delimiter="\t").encode("utf-16-le")


def webex(rows: list[Row], zone=ROME) -> bytes:
    """Webex's meeting attendee report (Control Hub's columns)."""
    fmt = "%m/%d/%Y %I:%M %p"
    lines = [
        [
            "Meeting Number",
            "Attendee Name",
            "Attendee Email",
            "Join Time",
            "Leave Time",
            "Duration (Mins)",
            "Connection Type",
        ]
    ]
    for name, email, joined, left in rows:
        minutes = int((left - joined).total_seconds() // 60)
        lines.append(
            [
                "2634 123 4567",
                name,
                email,
                _local(joined, zone).strftime(fmt),
                _local(left, zone).strftime(fmt),
                str(minutes),
                "VoIP",
            ]
        )
    return _csv(lines).encode("utf-8")


def meet(rows: list[Row], zone=ROME) -> bytes:
    """Google Meet's attendance sheet as CSV: times of day only."""
    lines = [["First name", "Last name", "Email", "Duration", "Time joined", "Time exited"]]
    for name, email, joined, left in rows:
        first, _, last = name.partition(" ")
        minutes = int((left - joined).total_seconds() // 60)
        lines.append(
            [
                first,
                last,
                email,
                f"{minutes} min",
                _local(joined, zone).strftime("%I:%M %p"),
                _local(left, zone).strftime("%I:%M %p"),
            ]
        )
    return _csv(lines).encode("utf-8")


def plain(rows: list[Row], *, extra: str | None = None) -> bytes:
    header = ["email", "join", "leave", "name"] + ([extra] if extra else [])
    lines = [header] + [
        [email, joined.isoformat(), left.isoformat(), name] + ([""] if extra else [])
        for name, email, joined, left in rows
    ]
    return _csv(lines).encode("utf-8")
