"""Per-person join links from the platform's registrant list: matched by
e-mail whatever the case, stored on the registration, each change published
as `registration.join_link_changed` with a rising revision, unknown
addresses listed back, and the personal page showing the person's own link."""

from __future__ import annotations

import datetime as dt
import io

from tests.integration.registration_support import UTC, email

SHARED = {"platform": "zoom", "join_url": "https://zoom.us/w/81234567890", "meeting_id": "812 3456 7890"}


def zoom_registrants(rows: list[tuple[str, str]]) -> bytes:
    """Zoom's webinar registration report: a header block, a blank row, then the registrants with their Join URL."""
    lines = ["Report Generated:,03/01/2026 10:00 AM", "Topic,Webinar ID", "Bilancio partecipativo,812 3456 7890", ""]
    lines.append("First Name,Last Name,Email,Registration Time,Approval Status,Join URL")
    lines += [f"Anna,Bianchi,{address},02/28/2026 09:00:00 AM,approved,{url}" for address, url in rows]
    return "\r\n".join(lines).encode("utf-8")


def upload(desk, content: bytes):
    data = {"file": (io.BytesIO(content), "registrants.csv")}
    return desk.as_organiser("post", "/join-links", data=data, content_type="multipart/form-data")


def test_each_registrants_own_link_is_stored_published_and_shown_instead_of_the_shared_one(desk):
    starts = dt.datetime.now(UTC).replace(microsecond=0) + dt.timedelta(minutes=20)
    desk.deliver(
        "event.updated", starts_at=starts, ends_at=starts + dt.timedelta(hours=1), delivery_mode="online", online=SHARED
    )
    anna, marco = desk.registered(1)["token"], desk.registered(2)["token"]
    mark = desk.mark()
    own = "https://zoom.us/w/81234567890?tk=ANNA-ONLY"
    response = upload(
        desk, zoom_registrants([(email(1).upper(), own), ("nobody@example.org", "https://zoom.us/w/1?tk=X")])
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"changed": 1, "unchanged": 0, "removed": 0, "unknown": ["nobody@example.org"]}
    ((kind, data),) = desk.events(since=mark)
    assert (kind, data["join_url"], data["revision"], data["status"]) == (
        "registration.join_link_changed",
        own,
        1,
        "confirmed",
    )
    (room,) = desk.own(anna)["online"]["rooms"]
    assert (room["join_url"], room["personal"]) == (own, True)
    assert desk.own(marco)["online"]["rooms"][0]["join_url"] == SHARED["join_url"]
    html = desk.client.get(f"/r/{anna}").get_data(as_text=True)
    assert own in html and SHARED["join_url"] + '"' not in html

    again = upload(desk, zoom_registrants([(email(1), own)]))
    assert again.get_json()["unchanged"] == 1 and desk.events(since=mark + 1) == []
    removed = upload(desk, b"email,join_url\r\n" + email(1).encode() + b",\r\n")
    assert removed.get_json()["removed"] == 1
    ((_, data),) = desk.events(since=mark + 1)
    assert (data["join_url"], data["revision"]) == (None, 2)
    assert desk.own(anna)["online"]["rooms"][0]["join_url"] == SHARED["join_url"]


def test_a_list_without_the_columns_or_with_a_bad_link_is_a_422_naming_row_and_column(desk):
    desk.registered(1)
    mark = desk.mark()
    assert upload(desk, b"name,address\nx,y\n").get_json()["errors"]["files"]["file"]
    bad = upload(desk, b"email,join_url\n" + email(1).encode() + b",javascript:alert(1)\n")
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["files"]["file"][0].startswith("row 2, column 'join_url': not an http(s) link")
    assert desk.events(since=mark) == []
