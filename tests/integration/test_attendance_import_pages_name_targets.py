"""The attendance import pages name what a report was for and where it came
from in words: a session by its title and time in the event's zone, a day
of an event without a programme as the day, and the format as the
platform's name (Zoom, Webex, plain CSV), in Italian and English; on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

from shared.formatting import format_date, format_when
from shared.web.auth import COOKIE
from tests.integration.registration_support import SLUG, email, post_form, programme_session
from tests.unit.attendance_reports import builders

MIN = dt.timedelta(minutes=1)
PAGES = f"/organiser/events/{SLUG}/attendance-imports"


def log_in(desk) -> None:
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])


def send(desk, target: str, content: bytes, filename: str) -> str:
    """Through the page's form; the preview page's path."""
    sent = post_form(desk.client, PAGES, {"target": target, "file": (io.BytesIO(content), filename)})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    return sent.headers["Location"]


def cells(html: str, label: str) -> list[str]:
    return [unescape(text) for text in re.findall(rf'data-label="{label}">([^<]*)<', html)]


def test_a_session_import_shows_the_title_time_and_platform(desk):
    start = desk.starts_at
    desk.release(programme_session(1, start, 90, requires_signup=False, seat_limit=None, title="Bilancio pubblico"))
    desk.registered(1)
    log_in(desk)
    preview = send(desk, "session:1", builders.zoom([("Anna1 Bianchi", email(1), start, start + 60 * MIN)]), "z.csv")
    zone = desk.listing().timezone
    said = f"Bilancio pubblico · {format_when(start, start + 90 * MIN, zone, 'it')}"
    html = unescape(desk.client.get(preview).get_data(as_text=True))
    assert f"{said} · Zoom · z.csv" in html and "session:1" not in html.split("<form")[0]
    confirm = post_form(desk.client, preview + "/confirm", {}, page=preview)
    assert confirm.status_code == 303
    listed = desk.client.get(PAGES).get_data(as_text=True)
    assert cells(listed, "Per") == [said] and cells(listed, "Formato") == ["Zoom"]
    english = desk.client.get(PAGES, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert cells(english, "For") == [f"Bilancio pubblico · {format_when(start, start + 90 * MIN, zone, 'en')}"]


def test_a_day_import_shows_the_day_in_words_and_a_plain_csv_as_such(desk):
    desk.registered(1)
    log_in(desk)
    form = desk.client.get(PAGES).get_data(as_text=True)
    day = re.search(r'value="day:(\d{4}-\d{2}-\d{2})"', form).group(1)
    start = desk.starts_at
    plain = builders.plain([("Anna", email(1), start, start + 60 * MIN)])
    preview = send(desk, f"day:{day}", plain, "presenze.csv")
    in_words = format_date(dt.date.fromisoformat(day), None, "it")
    assert f"{in_words} · CSV semplice · presenze.csv" in unescape(desk.client.get(preview).get_data(as_text=True))
    english = desk.client.get(preview, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"{format_date(dt.date.fromisoformat(day), None, 'en')} · plain CSV" in unescape(english)
    assert post_form(desk.client, preview + "/confirm", {}, page=preview).status_code == 303
    listed = desk.client.get(PAGES).get_data(as_text=True)
    assert cells(listed, "Per") == [in_words] and cells(listed, "Formato") == ["CSV semplice"]
