"""Organisers manage credit types and give events and sessions their hours and
credits through plain forms (CSRF on, no JavaScript); a bad amount is shown
beside the credits and the input kept; another organisation's credit type
is not found; the public page shows the course's hours and credits, in
Italian and in English."""

from __future__ import annotations

import re

from tests.integration.scheduling_support import MARCO, SchedulingDesk, log_in, submit

EVENT = {
    "title_it": "Corso di contabilità per revisori",
    "title_en": "Accounting course for auditors",
    "type": "course",
    "starts_at": "2031-03-10T09:00",
    "ends_at": "2031-03-10T18:00",
    "capacity": "30",
}


def desk(tmp_path) -> SchedulingDesk:
    return SchedulingDesk(tmp_path, public_base_url="http://localhost", WTF_CSRF_ENABLED=True)


def add_credit_type(client) -> str:
    page = client.get("/organiser/credit-types").get_data(as_text=True)
    organisation = re.search(r'<option value="([^"]+)"', page).group(1)
    added = submit(
        client,
        "/organiser/credit-types",
        {"organisation_id": organisation, "name_it": "Crediti revisori", "name_en": "Auditors' credits", "unit": "CFP"},
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    listed = client.get("/organiser/credit-types").get_data(as_text=True)
    assert "Crediti revisori" in listed and "CFP" in listed
    return re.search(r'/organiser/credit-types/([0-9a-f-]{36})"', listed).group(1)


def test_a_course_gets_credits_and_hours_on_its_forms_and_shows_them_to_the_public(tmp_path):
    client = desk(tmp_path).client
    log_in(client)
    type_id = add_credit_type(client)
    refused = submit(client, "/organiser/events/new", {**EVENT, f"credit_{type_id}": "-3"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'<fieldset[^>]*id="credits"[^>]*aria-invalid="true"', html), html
    assert 'value="-3"' in html and 'value="Corso di contabilità per revisori"' in html

    created = submit(client, "/organiser/events/new", {**EVENT, f"credit_{type_id}": "3"})
    assert created.status_code == 303, created.get_data(as_text=True)
    slug = created.headers["Location"].rsplit("/", 1)[-1]
    assert f'name="credit_{type_id}" type="number" value="3"' in client.get(f"/organiser/events/{slug}/edit").get_data(
        as_text=True
    )
    for title, start, end, extra in (
        ("Principi contabili", "09:00", "11:00", {"hours": "1,5", f"credit_{type_id}": "1,5"}),
        ("Revisione degli enti locali", "11:30", "13:30", {}),
    ):
        added = submit(
            client,
            f"/organiser/events/{slug}/schedule/sessions/new",
            {"title_it": title, "day": "2031-03-10", "start": start, "end": end, **extra},
        )
        assert added.status_code == 303, added.get_data(as_text=True)
    pause = submit(
        client,
        f"/organiser/events/{slug}/schedule/sessions/new",
        {"kind": "break", "title_it": "Pausa", "day": "2031-03-10", "start": "11:00", "end": "11:30", "hours": "1"},
    )
    assert pause.status_code == 422 and re.search(r'id="hours"[^>]*aria-invalid="true"', pause.get_data(as_text=True))
    for action in ("publish",):
        assert (
            submit(client, f"/organiser/events/{slug}", {}, action=f"/organiser/events/{slug}/{action}").status_code
            == 303
        )
    released = submit(client, f"/organiser/events/{slug}/release", {"name": "1.0"})
    assert released.status_code == 303, released.get_data(as_text=True)

    italian = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Ore di formazione:</strong> 3,5" in italian  # 1.5 as set + 2 hours of duration
    assert "3 CFP (Crediti revisori)" in italian and "1,5 ore di formazione · 1,5 CFP (Crediti revisori)" in italian
    client.set_cookie("lang", "en")
    english = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Hours of training:</strong> 3.5" in english and "3 CFP (Auditors&#39; credits)" in english


def test_another_organisations_credit_type_is_not_found_and_an_unused_one_is_deleted(tmp_path):
    scheduling = desk(tmp_path)
    log_in(scheduling.client)
    type_id = add_credit_type(scheduling.client)
    other = scheduling.app.test_client()
    log_in(other, MARCO)
    assert other.get(f"/organiser/credit-types/{type_id}").status_code == 404
    assert "Crediti revisori" not in other.get("/organiser/credit-types").get_data(as_text=True)
    renamed = submit(
        scheduling.client, f"/organiser/credit-types/{type_id}", {"name_it": "CFP revisori legali", "unit": "CFP"}
    )
    assert renamed.status_code == 303, renamed.get_data(as_text=True)
    deleted = submit(
        scheduling.client, "/organiser/credit-types", {}, action=f"/organiser/credit-types/{type_id}/delete"
    )
    assert deleted.status_code == 303
    assert "CFP revisori legali" not in scheduling.client.get("/organiser/credit-types").get_data(as_text=True)
