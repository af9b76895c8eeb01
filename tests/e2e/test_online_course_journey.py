"""An online course run end to end, on both ways to run: three lessons of
two hours and five participants; lesson 1's attendance is imported from a
Zoom report, lesson 2's from a Teams report (UTF-16, Italian headers),
lesson 3 is checked in on site. With a 75 % threshold the certificate of
attendance reaches exactly the three people above it, by real SMTP, and
their invitations carried the Zoom room as RFC 7986 CONFERENCE.

   lesson 1 (Zoom)                 lesson 2 (Teams)       lesson 3 (on site)  total
P1 joins early, rejoins: 120       120                    120                 360 yes
P2 17:00-18:00, 18:10-19:00: 110   120                    120                 350 yes
P3 guest without e-mail: 120       17:00-17:30: 30        120                 270 yes (75 % exactly)
P4 120                             120                    -                   240 no
P5 -                               -                      120                 120 no
plus someone in the Zoom report who never registered (skipped)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from icalendar import Calendar

from tests.e2e.harness import ORGANISER, System
from tests.unit.attendance_reports import builders

ROME = zoneinfo.ZoneInfo("Europe/Rome")
EVENT_SECONDS = 30
ZOOM = {"platform": "zoom", "join_url": "https://zoom.example.org/j/86400000123?pwd=corso", "passcode": "112233"}
PEOPLE = [
    {
        "first_name": f"Persona{n}",
        "last_name": surname,
        "email": f"p{n}.{surname.lower()}@example.org",
        "organisation": "Comune di Prova",
        "locale": "it",
    }
    for n, surname in enumerate(("Rossi", "Verdi", "Neri", "Gialli", "Blu"), start=1)
]
CERTIFIED = {1, 2, 3}


def lesson_day(n: int) -> dt.date:
    return dt.date(dt.date.today().year + 1, 10, 5) + dt.timedelta(days=7 * (n - 1))


def at(n: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(lesson_day(n), dt.time(hour, minute), ROME)


def local(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=None).isoformat()


def build_course(system: System, organiser: dict) -> tuple[str, list[int]]:
    body = {
        "title": {"it": "Corso online di contabilità pubblica", "en": "Online course in public accounting"},
        "type": "course",
        "starts_at": local(at(1, 17)),
        "ends_at": local(at(3, 19)),
        "timezone": "Europe/Rome",
        "capacity": 30,
        "delivery_mode": "online",
        "online": ZOOM,
    }
    created = system.post("/scheduling/api/v1/events", headers=organiser, json=body)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    api = f"/scheduling/api/v1/events/{slug}"
    session_ids = []
    for n in (1, 2, 3):
        lesson = {"title": {"it": f"Lezione {n}"}, "starts_at": local(at(n, 17)), "ends_at": local(at(n, 19))}
        response = system.post(f"{api}/sessions", headers=organiser, json=lesson)
        assert response.status_code == 201, response.text
        session_ids.append(response.json()["id"])
    assert system.post(f"{api}/publish", headers=organiser).status_code == 200
    released = system.post(f"{api}/schedule/releases", headers=organiser, json={"name": "1.0"})
    assert released.status_code == 201, released.text
    return slug, session_ids


def zoom_report() -> bytes:
    p1, p2, p3, p4 = PEOPLE[:4]
    return builders.zoom(
        [
            ("Persona1 Rossi", p1["email"], at(1, 16, 50), at(1, 17, 40)),  # before the start
            ("Persona1 Rossi", p1["email"].upper(), at(1, 17, 38), at(1, 19, 5)),  # rejoined, overlapping
            ("Persona2 Verdi", p2["email"], at(1, 17), at(1, 18)),
            ("Persona2 Verdi", p2["email"], at(1, 18, 10), at(1, 19)),
            ("Neri Persona3", "", at(1, 17), at(1, 19)),  # a guest: proposed by name
            ("Persona4 Gialli", p4["email"], at(1, 17), at(1, 19)),
            ("Ospite Sconosciuto", "ospite@example.net", at(1, 17), at(1, 19)),  # never registered
        ]
    )


def teams_report() -> bytes:
    p1, p2, p3, p4 = PEOPLE[:4]
    return builders.teams(
        [
            ("Persona1 Rossi", p1["email"], at(2, 16, 55), at(2, 19)),
            ("Persona2 Verdi", p2["email"], at(2, 17), at(2, 19, 10)),
            ("Persona3 Neri", p3["email"], at(2, 17), at(2, 17, 30)),
            ("Persona4 Gialli", p4["email"], at(2, 17), at(2, 19)),
        ],
        words=builders.TEAMS_IT,
    )


def import_report(system: System, organiser: dict, slug: str, session_id: int, name: str, content: bytes) -> dict:
    path = f"/registration/api/v1/organiser/events/{slug}/attendance-imports"

    def upload():
        files = {"file": (name, content, "text/csv")}
        return system.post(path, headers=organiser, files=files, data={"target": f"session:{session_id}"})

    preview = upload()
    assert preview.status_code == 201, preview.text
    return preview.json()


def confirm(system: System, organiser: dict, slug: str, preview: dict, mapping: dict) -> dict:
    path = f"/registration/api/v1/organiser/events/{slug}/attendance-imports/{preview['id']}/confirm"
    done = system.post(path, headers=organiser, json={"mapping": mapping})
    assert done.status_code == 200, done.text
    return done.json()


def test_an_online_course_certifies_exactly_those_above_the_threshold(system: System):
    organiser = system.login(ORGANISER)
    slug, lessons = build_course(system, organiser)
    registration = f"/registration/api/v1/organiser/events/{slug}"
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=EVENT_SECONDS,
        message="registration to open the course",
    )
    policies = system.http.patch(
        system.url(f"{registration}/policies"), headers=organiser, json={"attendance_threshold": 75}
    )
    assert policies.status_code == 200, policies.text

    ids = {}
    for n, person in enumerate(PEOPLE, start=1):
        answer = system.post(f"/registration/api/v1/events/{slug}/registrations", json=person)
        assert answer.status_code == 201 and answer.json()["registration"]["status"] == "confirmed", answer.text
        ids[n] = answer.json()["registration"]["id"]

    # Every confirmation carries the Zoom room as CONFERENCE (and nobody else's link).
    for person in PEOPLE:
        (confirmation,) = system.mail.wait_for(person["email"], 1, timeout=EVENT_SECONDS)
        part = next(p for p in confirmation.message.walk() if p.get_content_type() == "text/calendar")
        (vevent,) = Calendar.from_ical(part.get_payload(decode=True)).events
        assert [c.uri for c in vevent.conferences] == [ZOOM["join_url"]]

    # Lesson 1: the Zoom report. The registration knows the programme once schedule.released arrived.
    def zoom_preview():
        files = {"file": ("participants_86400000123.csv", zoom_report(), "text/csv")}
        response = system.post(
            f"{registration}/attendance-imports",
            headers=organiser,
            files=files,
            data={"target": f"session:{lessons[0]}"},
        )
        return response.json() if response.status_code == 201 else None

    preview = system.wait_for(zoom_preview, timeout=EVENT_SECONDS, message="the programme to reach registration")
    assert preview["format"] == "zoom"
    rows = {row["name"]: row for row in preview["rows"]}
    assert rows["Persona1 Rossi"]["registration_id"] == ids[1] and rows["Persona1 Rossi"]["minutes"] == 120
    assert rows["Persona2 Verdi"]["minutes"] == 110
    guest = rows["Neri Persona3"]
    assert guest["registration_id"] is None and [p["id"] for p in guest["proposals"]] == [ids[3]]
    stranger = rows["Ospite Sconosciuto"]
    assert stranger["registration_id"] is None and stranger["proposals"] == []
    done = confirm(system, organiser, slug, preview, {str(guest["row"]): ids[3], str(stranger["row"]): None})
    assert done["status"] == "confirmed" and done["matched"] == 4

    # The same report again changes nothing.
    again = system.post(
        f"{registration}/attendance-imports",
        headers=organiser,
        files={"file": ("participants_86400000123.csv", zoom_report(), "text/csv")},
        data={"target": f"session:{lessons[0]}"},
    )
    assert again.status_code == 200 and again.json()["unchanged"] is True, again.text

    # Lesson 2: Teams, UTF-16 with Italian headers.
    preview = import_report(system, organiser, slug, lessons[1], "Rapporto presenze.csv", teams_report())
    assert preview["format"] == "teams" and all(row["registration_id"] for row in preview["rows"])
    confirm(system, organiser, slug, preview, {})

    # Lesson 3: on site.
    for n in (1, 2, 3, 5):
        scan = system.post(
            f"{registration}/checkins", headers=organiser, json={"registration_id": ids[n], "session_id": lessons[2]}
        )
        assert scan.status_code == 201, scan.text

    attendance = {
        row["registration_id"]: row for row in system.get(f"{registration}/attendance", headers=organiser).json()
    }
    minutes = {n: attendance[ids[n]]["minutes_attended"] for n in ids}
    assert minutes == {1: 360, 2: 350, 3: 270, 4: 240, 5: 120}
    assert {n for n in ids if attendance[ids[n]]["certified_at"]} == CERTIFIED

    def certificates() -> dict[int, list]:
        return {
            n: [m for m in system.mail.to(PEOPLE[n - 1]["email"]) if "Attestato" in str(m.message["Subject"])]
            for n in ids
        }

    system.wait_for(
        lambda: all(certificates()[n] for n in CERTIFIED), timeout=EVENT_SECONDS, message="three certificates"
    )
    # The others' mail has settled (their confirmations came long ago); none holds a certificate.
    got = certificates()
    assert {n for n, mails in got.items() if mails} == CERTIFIED
    assert all(len(got[n]) == 1 for n in CERTIFIED)
    pdfs = [p for p in got[3][0].message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_payload(decode=True).startswith(b"%PDF")
