"""An event's registration form: organisers define custom fields and
categories; participants answer them; every refusal is a 4xx naming the
field; option limits and category quotas hold; consent is recorded."""

from __future__ import annotations

from tests.factories import participant
from tests.integration.registration_support import ORGANISER, SLUG, email, post_form, programme_session

FIELDS = [
    {
        "key": "diet",
        "kind": "choice",
        "label": {"it": "Pasto", "en": "Meal"},
        "required": True,
        "options": [
            {"key": "standard", "label": {"it": "Standard"}},
            {"key": "veg", "label": {"it": "Vegetariano"}, "limit": 1},
        ],
    },
    {
        "key": "topics",
        "kind": "multiple_choice",
        "label": {"it": "Temi"},
        "options": [{"key": "budget", "label": {"it": "Bilancio"}}, {"key": "urban", "label": {"it": "Urbanistica"}}],
    },
    {"key": "years", "kind": "number", "label": {"it": "Anni di servizio"}, "min_value": 0, "max_value": 60},
    {"key": "arrival", "kind": "date", "label": {"it": "Arrivo"}},
    {"key": "notes", "kind": "text", "label": {"it": "Note"}, "max_length": 20},
    {"key": "photo_ok", "kind": "checkbox", "label": {"it": "Acconsento alle foto"}},
]
CATEGORIES = [
    {"code": "staff", "label": {"it": "Personale comunale", "en": "Municipal staff"}, "quota": 1},
    {"code": "elected", "label": {"it": "Amministratori"}},
]


def define(desk, fields=FIELDS, categories=None):
    response = desk.as_organiser("put", "/form", json={"fields": fields})
    assert response.status_code == 200, response.get_json()
    if categories is not None:
        response = desk.as_organiser("put", "/categories", json={"categories": categories})
        assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_organiser_defines_fields_and_everyone_sees_the_form_with_what_is_left(desk):
    define(desk, categories=CATEGORIES)
    form = desk.client.get(f"/api/v1/events/{desk.event['slug']}/form").get_json()
    assert [f["key"] for f in form["fields"]] == ["diet", "topics", "years", "arrival", "notes", "photo_ok"]
    assert form["fields"][0]["options"][1] == {
        "key": "veg",
        "label": {"it": "Vegetariano", "en": None},
        "limit": 1,
        "taken": 0,
        "left": 1,
    }
    categories = [(c["code"], c["quota"], c["left"]) for c in form["categories"]]
    assert categories == [("staff", 1, 1), ("elected", None, None)]
    assert form["privacy"]["consent_required"] is False


def test_answers_are_checked_against_the_form_and_every_bad_field_is_named(desk):
    define(desk)
    bad = {"diet": "fish", "years": 99, "arrival": "domani", "notes": "x" * 21, "unknown": 1}
    response = desk.register(1, answers=bad)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {
        "answers.diet",
        "answers.years",
        "answers.arrival",
        "answers.notes",
        "answers.unknown",
    }
    assert desk.outbox() == []


def test_a_required_field_left_out_is_a_422_naming_it(desk):
    define(desk)
    response = desk.register(1, answers={"notes": "ok"})
    assert response.status_code == 422 and set(response.get_json()["errors"]["json"]) == {"answers.diet"}


def test_good_answers_are_kept_normalised_and_shown_through_the_link(desk):
    define(desk)
    issued = desk.registered(
        1,
        role="Funzionaria",
        answers={
            "diet": "standard",
            "topics": ["urban", "budget"],
            "years": "12",
            "arrival": "2030-12-16",
            "photo_ok": True,
        },
    )
    own = desk.own(issued["token"])
    assert own["answers"] == {
        "diet": "standard",
        "topics": ["urban", "budget"],
        "years": 12,
        "arrival": "2030-12-16",
        "photo_ok": True,
    }
    assert own["role"] == "Funzionaria"


def test_an_option_at_its_limit_is_refused_with_a_409_until_its_place_is_given_back(desk):
    define(desk)
    first = desk.registered(1, answers={"diet": "veg"})
    assert desk.register(2, answers={"diet": "veg"}).status_code == 409
    assert desk.register(2, answers={"diet": "veg"}).get_json()["errors"]["json"]["answers.diet"]
    desk.client.post(f"/api/v1/self/{first['token']}/cancel")
    assert desk.register(2, answers={"diet": "veg"}).status_code == 201


def test_changing_an_answer_through_the_link_moves_the_option_place(desk):
    define(desk)
    first = desk.registered(1, answers={"diet": "veg"})
    changed = desk.client.patch(f"/api/v1/self/{first['token']}", json={"answers": {"diet": "standard"}})
    assert changed.status_code == 200 and changed.get_json()["answers"]["diet"] == "standard"
    assert desk.register(2, answers={"diet": "veg"}).status_code == 201
    refused = desk.client.patch(f"/api/v1/self/{first['token']}", json={"answers": {"diet": "veg"}})
    assert refused.status_code == 409


def test_a_field_left_out_of_a_new_definition_is_retired_and_old_answers_stay(desk):
    define(desk)
    issued = desk.registered(1, answers={"diet": "standard", "notes": "in treno"})
    define(desk, fields=[FIELDS[4]])
    assert [f["key"] for f in desk.as_organiser("get", "/form").get_json()["fields"]] == ["notes"]
    assert desk.own(issued["token"])["answers"]["diet"] == "standard"
    assert desk.register(2, answers={}).status_code == 201  # diet no longer asked


def test_a_field_cannot_change_its_kind(desk):
    define(desk)
    response = desk.as_organiser("put", "/form", json={"fields": [{**FIELDS[4], "kind": "number"}]})
    assert response.status_code == 409 and response.get_json()["errors"]["json"]["fields"]


def test_an_event_with_categories_requires_one_of_them(desk):
    define(desk, fields=[], categories=CATEGORIES)
    assert set(desk.register(1).get_json()["errors"]["json"]) == {"category"}
    assert set(desk.register(1, category="tourists").get_json()["errors"]["json"]) == {"category"}
    issued = desk.registered(1, category="elected")
    assert issued["registration"]["category"] == {"code": "elected", "label": {"it": "Amministratori", "en": None}}


def test_a_full_category_queues_its_people_while_others_still_get_seats(desk):
    desk.deliver("event.updated", capacity=3)
    define(desk, fields=[], categories=CATEGORIES)
    first_staff = desk.registered(1, category="staff")
    second_staff = desk.registered(2, category="staff")
    elected = desk.registered(3, category="elected")
    assert [r["registration"]["status"] for r in (first_staff, second_staff, elected)] == [
        "confirmed",
        "waitlisted",
        "confirmed",
    ]
    assert desk.own(second_staff["token"])["category_waitlist_position"] == 1
    desk.client.post(f"/api/v1/self/{first_staff['token']}/cancel")
    assert desk.own(second_staff["token"])["status"] == "confirmed"


def test_raising_a_category_quota_lets_its_line_in(desk):
    desk.deliver("event.updated", capacity=10)
    define(desk, fields=[], categories=CATEGORIES)
    desk.registered(1, category="staff")
    waiting = desk.registered(2, category="staff")
    define(desk, fields=[], categories=[{**CATEGORIES[0], "quota": 2}, CATEGORIES[1]])
    assert desk.own(waiting["token"])["status"] == "confirmed"


def test_a_category_with_registrations_cannot_be_removed(desk):
    define(desk, fields=[], categories=CATEGORIES)
    desk.registered(1, category="elected")
    response = desk.as_organiser("put", "/categories", json={"categories": [CATEGORIES[0]]})
    assert response.status_code == 409 and response.get_json()["errors"]["json"]["categories"]


def test_consent_is_required_when_the_event_says_so_and_recorded_with_time_and_policy_version(desk):
    patched = desk.as_organiser(
        "patch", "/policies", json={"consent_required": True, "privacy_policy_version": "2026-11"}
    )
    assert patched.status_code == 200 and patched.get_json()["consent_required"] is True
    refused = desk.register(1)
    assert refused.status_code == 422 and set(refused.get_json()["errors"]["json"]) == {"privacy_consent"}
    issued = desk.registered(1, privacy_consent=True)
    consent = issued["registration"]["privacy_consent"]
    assert consent["policy_version"] == "2026-11" and consent["given_at"]


def test_the_form_definition_is_for_the_events_organisers_only(desk):
    assert desk.client.put(f"{ORGANISER}/form", json={"fields": []}).status_code == 401
    assert desk.as_organiser("put", "/form", role="checkin", json={"fields": []}).status_code == 403
    other = desk.client.put(
        f"{ORGANISER}/form", json={"fields": []}, headers=desk.headers("owner", organisation="someone-else")
    )
    assert other.status_code == 404  # another organisation's event answers as no event


def test_a_definition_with_bad_keys_or_kinds_is_a_422(desk):
    response = desk.as_organiser(
        "put", "/form", json={"fields": [{"key": "Bad Key", "kind": "essay", "label": {"it": "x"}}]}
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]["fields"]["0"]) == {"key", "kind"}
    choice_without_options = {"key": "c", "kind": "choice", "label": {"it": "x"}}
    no_options = desk.as_organiser("put", "/form", json={"fields": [choice_without_options]})
    assert no_options.status_code == 422


def test_the_participant_email_is_kept_lower_case_for_the_duplicate_check(desk):
    desk.registered(1)
    assert desk.register(2, email=email(1).upper()).status_code == 409


def test_the_html_form_asks_for_category_custom_fields_workshops_and_consent_and_registers(desk):
    define(desk, fields=FIELDS[:2], categories=CATEGORIES)
    desk.release(programme_session(21, desk.starts_at, title="Laboratorio A"))
    page = desk.client.get(f"/events/{SLUG}/register").get_data(as_text=True)
    for name in (
        'name="category"',
        'name="answers.diet"',
        'name="answers.topics"',
        'name="workshops"',
        'name="privacy_consent"',
    ):
        assert name in page

    data = {
        **participant(1),
        "category": "elected",
        "answers.diet": "veg",
        "answers.topics": ["budget", "urban"],
        "workshops": "21",
        "privacy_consent": "on",
    }
    response = post_form(desk.client, f"/events/{SLUG}/register", data)

    assert response.status_code == 303
    own = desk.own(response.headers["Location"].removeprefix("/r/").split("?")[0])
    assert own["category"]["code"] == "elected" and own["answers"] == {"diet": "veg", "topics": ["budget", "urban"]}
    assert [(w["session_id"], w["status"]) for w in own["workshops"]] == [(21, "confirmed")]
    assert own["privacy_consent"]["given_at"]


def test_the_html_form_names_a_missing_category_and_a_missing_answer(desk):
    define(desk, fields=FIELDS[:1], categories=CATEGORIES)
    response = post_form(desk.client, f"/events/{SLUG}/register", {**participant(1), "privacy_consent": "on"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="category-error"' in page and 'id="answers-diet-error"' in page


def test_an_event_whose_slug_changes_takes_registrations_under_the_new_one_only(desk):
    desk.registered(1)  # the old slug is now cached
    desk.deliver("event.updated", slug="bilancio-partecipativo-nuova-data")
    assert desk.register(2).status_code == 404
    moved = desk.client.post("/api/v1/events/bilancio-partecipativo-nuova-data/registrations", json=participant(2))
    assert moved.status_code == 201
