"""Attendance reports of webinar platforms imported by organisers: a preview
matched by e-mail with name proposals, a confirmation that records online
minutes counted like check-ins (the threshold certifies once), the same file
again changing nothing, a corrected report replacing the earlier one, and an
unreadable file refused whole (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import re

from sqlalchemy import func, select

from services.registration.models import AttendanceImport, OnlinePresence
from shared.web.auth import COOKIE
from tests.integration.registration_support import SLUG, email, post_form, programme_session
from tests.unit.attendance_reports import builders

MIN = dt.timedelta(minutes=1)


def upload(desk, content: bytes, target: str, filename: str = "report.csv"):
    data = {"target": target, "file": (io.BytesIO(content), filename)}
    return desk.as_organiser("post", "/attendance-imports", data=data, content_type="multipart/form-data")


def confirm(desk, import_id: int, mapping: dict | None = None):
    return desk.as_organiser("post", f"/attendance-imports/{import_id}/confirm", json={"mapping": mapping or {}})


def two_hour_course(desk, threshold: int = 75) -> dt.datetime:
    start = desk.starts_at
    desk.release(
        programme_session(1, start, 60, requires_signup=False, seat_limit=None),
        programme_session(2, start + 60 * MIN, 60, requires_signup=False, seat_limit=None),
    )
    desk.as_organiser("patch", "/policies", json={"attendance_threshold": threshold})
    return start


def stored(desk) -> tuple[int, int]:
    with desk.factory() as session:
        return (
            session.scalar(select(func.count()).select_from(AttendanceImport)) or 0,
            session.scalar(select(func.count()).select_from(OnlinePresence)) or 0,
        )


def test_a_zoom_report_with_rejoins_and_an_early_join_previews_then_records_minutes(desk):
    start = two_hour_course(desk)
    anna, marco = desk.registered(1), desk.registered(2, first_name="Marco", last_name="Rossi")
    rows = [
        ("Anna1 Bianchi", email(1), start - 15 * MIN, start + 20 * MIN),  # before the start: from 0
        ("Anna1 Bianchi", email(1), start + 30 * MIN, start + 70 * MIN),  # a rejoin, past the end: to 60
        ("Rossi, Marco", "marco.private@example.net", start, start + 45 * MIN),  # another address
        ("Someone Else", "", start, start + 60 * MIN),
    ]
    preview = upload(desk, builders.zoom(rows), "session:1")
    assert preview.status_code == 201, preview.get_json()
    body = preview.get_json()
    assert (body["status"], body["format"], body["target"], body["matched"]) == ("preview", "zoom", "session:1", 1)
    by_row = {row["name"]: row for row in body["rows"]}
    assert (
        by_row["Anna1 Bianchi"]["minutes"] == 50
        and by_row["Anna1 Bianchi"]["registration_id"] == anna["registration"]["id"]
    )
    assert [p["id"] for p in by_row["Rossi, Marco"]["proposals"]] == [marco["registration"]["id"]]
    assert by_row["Someone Else"]["registration_id"] is None and by_row["Someone Else"]["proposals"] == []
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 0  # a preview records nothing

    mapping = {
        str(by_row["Rossi, Marco"]["row"]): marco["registration"]["id"],
        str(by_row["Someone Else"]["row"]): None,
    }
    done = confirm(desk, body["id"], mapping)
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["matched"], done.get_json()["rows"]) == ("confirmed", 2, [])
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 50
    assert desk.own(marco["token"])["attendance"]["minutes_attended"] == 45


def test_a_teams_report_in_italian_counts_with_a_check_in_as_one_union(desk):
    start = two_hour_course(desk)
    anna = desk.registered(1)
    registration_id = desk.own(anna["token"])["id"]
    desk.as_organiser("post", "/checkins", role="checkin", json={"registration_id": registration_id, "session_id": 1})
    rows = [("Anna1 Bianchi", email(1), start + 30 * MIN, start + 90 * MIN)]  # half of session 1, half of session 2
    for target in ("session:1", "session:2"):
        preview = upload(desk, builders.teams(rows), target).get_json()
        assert preview["format"] == "teams"
        confirm(desk, preview["id"])
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 60 + 30  # session 1 whole (checked in) + 30


def test_online_minutes_reaching_the_threshold_certify_exactly_once(desk):
    start = two_hour_course(desk, threshold=75)
    anna = desk.registered(1)
    first = upload(desk, builders.plain([("Anna", email(1), start, start + 60 * MIN)]), "session:1").get_json()
    confirm(desk, first["id"])
    assert desk.events("attendance.certified") == []
    second = upload(
        desk, builders.webex([("Anna", email(1), start + 60 * MIN, start + 100 * MIN)]), "session:2"
    ).get_json()
    assert second["format"] == "webex"
    confirm(desk, second["id"])
    (certified,) = desk.events("attendance.certified")
    assert (certified[1]["minutes_attended"], certified[1]["total_minutes"]) == (100, 120)
    again = upload(
        desk, builders.webex([("Anna", email(1), start + 60 * MIN, start + 120 * MIN)]), "session:2"
    ).get_json()
    confirm(desk, again["id"])
    assert len(desk.events("attendance.certified")) == 1
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 120


def test_the_same_file_again_changes_nothing(desk):
    start = two_hour_course(desk)
    anna = desk.registered(1)
    content = builders.zoom([("Anna1 Bianchi", email(1), start, start + 40 * MIN)])
    confirm(desk, upload(desk, content, "session:1").get_json()["id"])
    before, outbox = stored(desk), desk.mark()
    again = upload(desk, content, "session:1", filename="renamed.csv")
    assert again.status_code == 200 and again.get_json()["unchanged"] is True
    assert again.get_json()["status"] == "confirmed"
    assert confirm(desk, again.get_json()["id"]).get_json()["unchanged"] is True
    assert stored(desk) == before and desk.mark() == outbox
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 40


def test_a_corrected_report_for_the_same_session_replaces_the_earlier_import(desk):
    start = two_hour_course(desk)
    anna, marco = desk.registered(1), desk.registered(2)
    wrong = builders.plain([("", email(1), start, start + 50 * MIN), ("", email(2), start, start + 10 * MIN)])
    first = upload(desk, wrong, "session:1").get_json()
    confirm(desk, first["id"])
    corrected = builders.plain([("", email(1), start, start + 20 * MIN)])
    confirm(desk, upload(desk, corrected, "session:1").get_json()["id"])
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 20
    assert desk.own(marco["token"])["attendance"]["minutes_attended"] == 0
    assert desk.as_organiser("get", f"/attendance-imports/{first['id']}").get_json()["status"] == "replaced"
    assert confirm(desk, first["id"]).status_code == 409  # replaced: it cannot come back
    stale = upload(desk, wrong, "session:1").get_json()
    confirm(desk, upload(desk, corrected + b"\r\n", "session:1").get_json()["id"])
    assert confirm(desk, stale["id"]).status_code == 409  # a newer upload replaced the older preview


def test_a_broken_date_is_a_422_naming_row_and_column_and_nothing_is_stored(desk):
    start = two_hour_course(desk)
    desk.registered(1)
    rows = [
        ("Anna1 Bianchi", email(1), start, start + 30 * MIN),
        ("Marco Rossi", "m@example.org", start, start + 30 * MIN),
    ]
    joined = start.astimezone(builders.ROME).strftime("%m/%d/%Y %I:%M:%S %p").encode()
    content = builders.zoom(rows)
    broken = (
        content[: content.rindex(joined)] + b"31/31/2026 99:00:00" + content[content.rindex(joined) + len(joined) :]
    )
    before = stored(desk)
    response = upload(desk, broken, "session:1")
    assert response.status_code == 422
    assert response.get_json()["errors"]["files"]["file"] == [
        "row 6, column 'Join Time': not a date and time ('31/31/2026 99:00:00')"
    ]
    assert stored(desk) == before


def test_unknown_columns_or_layouts_and_bad_targets_are_422(desk):
    start = two_hour_course(desk)
    rows = [("Anna", email(1), start, start + 30 * MIN)]
    unknown = upload(desk, builders.plain(rows, extra="minutes"), "session:1")
    assert (
        unknown.status_code == 422 and "unknown columns 'minutes'" in unknown.get_json()["errors"]["files"]["file"][0]
    )
    assert upload(desk, b"who,when\nx,y\n", "session:1").status_code == 422
    assert upload(desk, builders.plain(rows), "session:99").get_json()["errors"]["form"]["target"]
    assert upload(desk, builders.plain(rows), "day:2030-01-01").get_json()["errors"]["form"]["target"]
    assert upload(desk, builders.plain(rows), "nonsense").status_code == 422
    no_file = desk.as_organiser(
        "post", "/attendance-imports", data={"target": "session:1"}, content_type="multipart/form-data"
    )
    assert no_file.status_code == 422 and no_file.get_json()["errors"]["files"]["file"]
    first = upload(desk, builders.plain(rows), "session:1").get_json()
    bad_mapping = confirm(desk, first["id"], {"999": None})
    assert bad_mapping.status_code == 422 and bad_mapping.get_json()["errors"]["json"]["mapping"]


def test_an_event_without_a_programme_imports_per_day(desk):
    anna = desk.registered(1)
    start = desk.starts_at
    desk.as_organiser("patch", "/policies", json={"attendance_threshold": 50})
    day = start.astimezone(builders.ROME).date().isoformat()
    preview = upload(
        desk, builders.meet([("Anna1 Bianchi", email(1), start + 10 * MIN, start + 150 * MIN)]), f"day:{day}"
    )
    assert preview.status_code == 201, preview.get_json()
    confirm(desk, preview.get_json()["id"])
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 140
    assert len(desk.events("attendance.certified")) == 1


def test_only_the_events_organisers_import(desk):
    desk.release(programme_session(1, desk.starts_at, 60, requires_signup=False, seat_limit=None))
    data = {"target": "session:1", "file": (io.BytesIO(b"email,join,leave\n"), "r.csv")}
    checkin = desk.as_organiser(
        "post", "/attendance-imports", role="checkin", data=data, content_type="multipart/form-data"
    )
    assert checkin.status_code == 403


def test_the_organiser_page_previews_a_report_and_confirms_the_chosen_rows(desk):
    start = two_hour_course(desk)
    anna = desk.registered(1)
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    pages = f"/organiser/events/{SLUG}/attendance-imports"
    assert pages in desk.client.get(f"/organiser/events/{SLUG}/registrations").get_data(as_text=True)
    form = desk.client.get(pages, headers={"Accept-Language": "en"})
    assert form.status_code == 200 and 'value="session:1"' in form.get_data(as_text=True)
    content = builders.zoom([("Bianchi, Anna1", "anna.private@example.net", start, start + 30 * MIN)])
    sent = post_form(desk.client, pages, {"target": "session:1", "file": (io.BytesIO(content), "zoom.csv")})
    assert sent.status_code == 303
    preview_page = desk.client.get(sent.headers["Location"])
    html = preview_page.get_data(as_text=True)
    assert preview_page.status_code == 200 and "anna.private@example.net" in html
    row = re.search(r'name="(row-\d+)"', html).group(1)
    confirm_path = sent.headers["Location"] + "/confirm"
    done = post_form(desk.client, confirm_path, {row: anna["registration"]["id"]}, page=sent.headers["Location"])
    assert done.status_code == 303
    assert desk.own(anna["token"])["attendance"]["minutes_attended"] == 30
    broken = post_form(desk.client, pages, {"target": "session:1", "file": (io.BytesIO(b"who,when\n"), "x.csv")})
    assert broken.status_code == 303 and desk.client.get(pages).status_code == 200
