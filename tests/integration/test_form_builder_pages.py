"""Organisers build an event's registration form from its pages: custom
fields of every kind with options and their limits, categories with quotas,
consent and the waiting list's promotion; each change raises the form's
version as the API's does, bad input is shown beside its field, and the
preview renders the public form under a banner without registering anyone.
On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from services.registration.models import FIELD_KINDS
from shared.web.auth import COOKIE
from tests.integration.registration_support import SLUG, Desk, post_form

FORM = f"/organiser/events/{SLUG}/form"


def logged_in(desk: Desk, role: str = "organiser") -> Desk:
    desk.client.set_cookie(COOKIE, desk.headers(role)["Authorization"].split(" ", 1)[1])
    return desk


def api_form(desk: Desk) -> dict:
    return desk.client.get(f"/api/v1/events/{SLUG}/form").get_json()


@pytest.mark.parametrize("kind", FIELD_KINDS)
def test_a_field_of_each_kind_is_added_from_the_page(desk, kind):
    logged_in(desk)
    before = desk.listing().form_revision
    values = {"key": "domanda", "kind": kind, "label_it": "Domanda", "label_en": "Question", "required": "on"}
    if kind in ("choice", "multiple_choice"):
        values["options"] = "pranzo | Pranzo | Lunch | 40\ncena | Cena"
    if kind == "number":
        values.update(min_value="1", max_value="10")
    if kind == "text":
        values["max_length"] = "80"
    saved = post_form(desk.client, f"{FORM}/fields/new", values)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    (field,) = api_form(desk)["fields"]
    assert field["kind"] == kind and field["label"] == {"it": "Domanda", "en": "Question"} and field["required"]
    assert desk.listing().form_revision == before + 1
    if kind in ("choice", "multiple_choice"):
        assert [(o["key"], o["limit"]) for o in field["options"]] == [("pranzo", 40), ("cena", None)]
    if kind == "number":
        assert (field["min_value"], field["max_value"]) == (1, 10)
    overview = desk.client.get(FORM, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Custom fields" in overview and "Question" in overview


def test_editing_keeps_the_key_and_kind_and_removing_retires_the_field(desk):
    logged_in(desk)
    post_form(
        desk.client,
        f"{FORM}/fields/new",
        {"key": "pasto", "kind": "choice", "label_it": "Pasto", "options": "a | A\nb | B"},
    )
    edit = desk.client.get(f"{FORM}/fields/pasto").get_data(as_text=True)
    assert "a | A" in edit and 'name="kind"' not in edit
    changed = post_form(desk.client, f"{FORM}/fields/pasto", {"label_it": "Pasto scelto", "options": "a | A | | 5"})
    assert changed.status_code == 303
    (field,) = api_form(desk)["fields"]
    assert field["label"]["it"] == "Pasto scelto" and [(o["key"], o["limit"]) for o in field["options"]] == [("a", 5)]
    removed = post_form(desk.client, f"{FORM}/fields/pasto/remove", {}, page=FORM)
    assert removed.status_code == 303 and api_form(desk)["fields"] == []
    assert desk.client.get(f"{FORM}/fields/pasto").status_code == 404


def test_bad_fields_are_shown_beside_their_inputs(desk):
    logged_in(desk)
    page = f"{FORM}/fields/new"
    cases = [
        ({"key": "Bad Key", "kind": "text", "label_it": "X"}, "key"),
        ({"key": "k", "kind": "text", "label_it": ""}, "label_it"),
        ({"key": "k", "kind": "number", "label_it": "X", "min_value": "5", "max_value": "1"}, "min_value"),
        ({"key": "k", "kind": "text", "label_it": "X", "max_length": "0"}, "max_length"),
        ({"key": "k", "kind": "choice", "label_it": "X", "options": "a | A | | molti"}, "options"),
        ({"key": "k", "kind": "choice", "label_it": "X"}, "form"),  # a choice needs options
        ({"key": "k", "kind": "galaxy", "label_it": "X"}, "kind"),
    ]
    for values, name in cases:
        answer = post_form(desk.client, page, values)
        html = answer.get_data(as_text=True)
        assert answer.status_code in (409, 422), (values, answer.status_code)
        assert name == "form" or f'id="{name}-error"' in html, (values, html[-3000:])
    post_form(desk.client, page, {"key": "k", "kind": "text", "label_it": "X"})
    twice = post_form(desk.client, page, {"key": "k", "kind": "date", "label_it": "Y"})
    assert twice.status_code == 422 and 'id="key-error"' in twice.get_data(as_text=True)
    assert [f["kind"] for f in api_form(desk)["fields"]] == ["text"]


def test_categories_with_quotas_and_a_used_one_stays(desk):
    logged_in(desk)
    assert (
        post_form(
            desk.client, f"{FORM}/categories/new", {"code": "staff", "label_it": "Dipendenti", "quota": "1"}
        ).status_code
        == 303
    )
    assert post_form(desk.client, f"{FORM}/categories/new", {"code": "ospiti", "label_it": "Ospiti"}).status_code == 303
    categories = api_form(desk)["categories"]
    assert [(c["code"], c["quota"]) for c in categories] == [("staff", 1), ("ospiti", None)]
    desk.registered(1, category="staff")
    refused = post_form(desk.client, f"{FORM}/categories/staff/remove", {}, page=FORM)
    assert refused.status_code == 409 and 'id="categories-error"' in refused.get_data(as_text=True)
    bad = post_form(desk.client, f"{FORM}/categories/ospiti", {"label_it": "Ospiti", "quota": "-1"})
    assert bad.status_code == 422 and 'id="quota-error"' in bad.get_data(as_text=True)
    assert post_form(desk.client, f"{FORM}/categories/ospiti/remove", {}, page=FORM).status_code == 303
    assert [c["code"] for c in api_form(desk)["categories"]] == ["staff"]


def test_consent_and_promotion_are_saved_and_checked(desk):
    logged_in(desk)
    saved = post_form(
        desk.client,
        f"{FORM}/policies",
        {"consent_required": "on", "promotion_mode": "offer", "offer_hours": "24"},
        page=FORM,
    )
    assert saved.status_code == 303
    listing = desk.listing()
    assert listing.consent_required and listing.promotion_mode == "offer" and listing.offer_hours == 24
    bad = post_form(desk.client, f"{FORM}/policies", {"promotion_mode": "offer", "offer_hours": "0"}, page=FORM)
    assert bad.status_code == 422 and 'id="offer_hours-error"' in bad.get_data(as_text=True)
    assert desk.listing().consent_required  # nothing of a refused change is kept


def test_the_preview_is_the_public_form_and_registers_nobody(desk):
    logged_in(desk)
    post_form(
        desk.client,
        f"{FORM}/fields/new",
        {"key": "pasto", "kind": "choice", "label_it": "Pasto", "options": "a | Vegetariano"},
    )
    preview = desk.client.get(f"{FORM}/preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Anteprima del modulo pubblico" in html and "Vegetariano" in html
    assert 'name="first_name"' in html and "Iscrivimi" in html
    tried = post_form(
        desk.client, f"{FORM}/preview", {"first_name": "Anna", "last_name": "B", "email": "a@example.org"}
    )
    assert tried.status_code == 200 and "nessuna iscrizione è stata inviata" in tried.get_data(as_text=True)
    assert desk.statuses() == {}


def test_only_the_events_organisers_build_its_form(desk):
    assert desk.client.get(FORM).status_code in (302, 303, 401)
    logged_in(desk, "checkin")
    assert desk.client.get(FORM).status_code == 403
