"""Bad input on registration's public API and pages: each is refused with a
4xx naming the field (never a 500) and stores nothing, or is accepted and
shown escaped. On SQLite and PostgreSQL, whose limits differ (NUL bytes,
INTEGER columns)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from services.registration.models import Listing, Registration
from shared.web.auth import COOKIE
from tests.factories import participant
from tests.integration.registration_support import EVENT_ID, ORGANISER, REGISTER, SLUG, post_form

FORM = f"/events/{SLUG}/register"
FIELDS = [
    {"key": "count", "kind": "number", "label": {"it": "Quanti"}},
    {"key": "born", "kind": "date", "label": {"it": "Data di nascita"}},
    {"key": "notes", "kind": "text", "label": {"it": "Note"}},
]


def named(response, field: str, location: str = "json") -> bool:
    """The 4xx answer's JSON body names `field` (errors.<location>.<field>)."""
    body = response.get_json()
    errors = (body or {}).get("errors", {}).get(location, {})
    return 400 <= response.status_code < 500 and field in errors


def with_form(desk) -> None:
    assert desk.as_organiser("put", "/form", json={"fields": FIELDS}).status_code == 200


def nothing_stored(desk) -> bool:
    return desk.statuses() == {}


# --- one-line fields: names, organisation, role -------------------------------------------
ONE_LINE_BREAKERS = {
    "CR LF and a header": "Anna\r\nBcc: everyone@example.org",
    "LF": "Anna\nBianchi",
    "tab": "Anna\tBianchi",
    "NUL": "Anna\x00",
    "escape": "Anna\x1b[31m",
    "C1 next line": "Anna\x85Bianchi",
    "line separator": "Anna\u2028Bianchi",
    "right-to-left override": "Anna\u202egpj.exe",
}


@pytest.mark.parametrize("field", ["first_name", "last_name", "organisation", "role"])
@pytest.mark.parametrize("value", ONE_LINE_BREAKERS.values(), ids=ONE_LINE_BREAKERS.keys())
def test_one_line_fields_refuse_line_breaks_and_control_characters(desk, field, value):
    response = desk.register(1, **{field: value})
    assert response.status_code == 422 and named(response, field), response.get_json()
    assert nothing_stored(desk)


def test_a_self_service_change_refuses_a_line_break_in_a_name(desk):
    token = desk.registered(1)["token"]
    response = desk.client.patch(f"/api/v1/self/{token}", json={"last_name": "Bianchi\r\nBcc: x@example.org"})
    assert response.status_code == 422 and named(response, "last_name")
    assert desk.own(token)["last_name"] == "Bianchi"


def test_right_to_left_names_with_marks_and_isolates_are_accepted(desk):
    arabic = desk.registered(1, first_name="\u2067عائشة\u2069", last_name="\u200fالفارسي")
    hebrew = desk.registered(2, first_name="דָּנִיֵּאל", last_name="כֹּהֵן\u200e")
    assert arabic["registration"]["first_name"] == "\u2067عائشة\u2069"
    assert hebrew["registration"]["last_name"] == "כֹּהֵן\u200e"


def test_html_in_a_name_is_stored_as_typed_and_escaped_on_the_personal_page(desk):
    script = "<script>alert(1)</script>"
    issued = desk.registered(1, first_name=script, organisation='"><img src=x onerror=alert(2)>')
    page = desk.client.get(f"/r/{issued['token']}").get_data(as_text=True)
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_the_form_page_shows_typed_html_back_escaped(desk):
    typed = {**participant(1, first_name='"><script>alert(1)</script>', email="not an address")}
    response = post_form(desk.client, FORM, {**typed, "privacy_consent": "on"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert nothing_stored(desk)


def test_the_form_page_refuses_a_line_break_in_a_name_beside_the_field(desk):
    response = post_form(
        desk.client, FORM, {**participant(1, last_name="Bianchi\r\nBcc: x@y"), "privacy_consent": "on"}
    )
    assert response.status_code == 422 and 'id="last_name-error"' in response.get_data(as_text=True)
    assert nothing_stored(desk)


# --- sizes ------------------------------------------------------------------------------
def test_a_megabyte_name_is_refused_before_it_is_read(desk):
    response = desk.register(1, first_name="x" * 1_000_000)
    assert response.status_code == 413 and response.is_json
    form = post_form(desk.client, FORM, {**participant(1, first_name="x" * 1_000_000), "privacy_consent": "on"})
    assert form.status_code == 413
    assert nothing_stored(desk)


def test_a_long_name_under_the_body_limit_is_refused_naming_the_field(desk):
    response = desk.register(1, first_name="x" * 100_000)
    assert response.status_code == 422 and named(response, "first_name")


def test_deeply_nested_answers_are_refused_not_a_500(desk):
    with_form(desk)
    body = json.dumps(participant(1, answers={"notes": "PLACEHOLDER"})).replace(
        '"PLACEHOLDER"', "[" * 5000 + "]" * 5000
    )
    response = desk.client.post(REGISTER, data=body, content_type="application/json")
    assert 400 <= response.status_code < 500 and response.is_json
    assert nothing_stored(desk)


# --- e-mail addresses -------------------------------------------------------------------
@pytest.mark.parametrize(
    "address", ["ännä@example.org", "用户@例子.广告", "anna\u200b@example.org", "José@example.org"]
)
def test_an_address_whose_local_part_is_not_ascii_is_refused_naming_email(desk, address):
    response = desk.register(1, email=address)
    assert response.status_code == 422 and named(response, "email"), response.get_json()
    assert nothing_stored(desk)


@pytest.mark.parametrize(
    "address",
    [
        "anna@example.org\r\nBcc: everyone@example.org",
        "anna@exa mple.org",
        "anna@-example-.org",
        "anna@" + "a" * 64 + ".org",
        "a" * 65 + "@example.org",
        "anna@xn--.org",
    ],
)
def test_an_address_that_cannot_be_mailed_is_refused_naming_email(desk, address):
    response = desk.register(1, email=address)
    assert response.status_code == 422 and named(response, "email"), response.get_json()


def test_an_internationalised_domain_is_accepted_and_kept_in_its_ascii_form(desk):
    issued = desk.registered(1, email="Anna@Exämple.ORG")
    assert issued["registration"]["email"] == "anna@xn--exmple-cua.org"
    [(_, event)] = desk.events("registration.confirmed")
    assert event["participant"]["email"] == "anna@xn--exmple-cua.org"
    again = desk.register(2, email="anna@xn--exmple-cua.org")  # the same mailbox, spelt in ASCII
    assert again.status_code == 409 and named(again, "email")


def test_a_link_request_for_an_internationalised_domain_reaches_the_registration(desk):
    desk.registered(1, email="anna@exämple.org")
    mark = desk.mark()
    response = desk.client.post(f"/api/v1/events/{SLUG}/link-requests", json={"email": "anna@EXÄMPLE.org"})
    assert response.status_code == 202
    [(_, event)] = desk.events("registration.link_requested", since=mark)
    assert event["participant"]["email"] == "anna@xn--exmple-cua.org"
    refused = desk.client.post(f"/api/v1/events/{SLUG}/link-requests", json={"email": "ännä@example.org"})
    assert refused.status_code == 422 and named(refused, "email")


# --- numbers, ids and dates -------------------------------------------------------------
@pytest.mark.parametrize("workshops", [[2**31], [10**30], [0], [-1]])
def test_workshop_ids_outside_the_id_range_are_refused_naming_workshops(desk, workshops):
    response = desk.register(1, workshops=workshops)
    assert response.status_code == 422 and named(response, "workshops"), response.get_json()
    assert nothing_stored(desk)


def test_a_workshop_id_above_two_to_the_31_in_a_change_is_refused(desk):
    token = desk.registered(1)["token"]
    response = desk.client.patch(f"/api/v1/self/{token}", json={"workshops": [2**31]})
    assert response.status_code == 422 and named(response, "workshops")


def test_the_form_page_refuses_a_huge_workshop_id_instead_of_failing(desk):
    response = post_form(desk.client, FORM, {**participant(1), "workshops": str(10**20), "privacy_consent": "on"})
    assert response.status_code == 422
    assert nothing_stored(desk)


@pytest.mark.parametrize("value", [str(2**31), str(10**30), "0"])
def test_organiser_filters_refuse_ids_above_the_id_range(desk, value):
    response = desk.as_organiser("get", f"/registrations?workshop={value}")
    assert response.status_code == 422 and named(response, "workshop", "query"), response.get_json()


def test_a_check_in_for_a_session_id_above_the_id_range_is_refused(desk):
    registration = desk.registered(1)["registration"]
    response = desk.as_organiser("post", "/checkins", json={"registration_id": registration["id"], "session_id": 2**31})
    assert response.status_code == 422 and named(response, "session_id")


@pytest.mark.parametrize(
    "number",
    [int("1" * 401), "1" * 401, -(10**20), 10**15, "1e400", 1e300],
    ids=["401 digits", "401 digits as text", "-10^20", "10^15", "1e400 as text", "1e300"],
)
def test_a_number_answer_too_large_for_the_form_is_refused_naming_it(desk, number):
    with_form(desk)
    if isinstance(number, float):
        body = json.dumps(participant(1, answers={"count": number}))
    else:
        body = json.dumps(participant(1, answers={"count": "PLACEHOLDER"})).replace(
            '"PLACEHOLDER"', str(number) if isinstance(number, int) else json.dumps(number)
        )
    response = desk.client.post(REGISTER, data=body, content_type="application/json")
    assert response.status_code == 422 and named(response, "answers.count"), response.get_json()
    assert nothing_stored(desk)


def test_ordinary_numbers_are_still_accepted(desk):
    with_form(desk)
    issued = desk.registered(1, answers={"count": 999_999_999_999_999})
    assert issued["registration"]["answers"]["count"] == 999_999_999_999_999
    assert desk.registered(2, answers={"count": "-2,5"})["registration"]["answers"]["count"] == -2.5


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1899-12-31", 20260101])
def test_impossible_dates_are_refused_naming_the_answer(desk, date):
    with_form(desk)
    response = desk.register(1, answers={"born": date})
    assert response.status_code == 422 and named(response, "answers.born"), response.get_json()


def test_a_plausible_date_is_accepted(desk):
    with_form(desk)
    assert desk.registered(1, answers={"born": "1970-02-28"})["registration"]["answers"]["born"] == "1970-02-28"


def test_a_text_answer_refuses_control_characters_but_keeps_line_breaks(desk):
    with_form(desk)
    refused = desk.register(1, answers={"notes": "a\x00b"})
    assert refused.status_code == 422 and named(refused, "answers.notes")
    kept = desk.registered(2, answers={"notes": "riga 1\r\nriga 2\tfine \u202eabc"})
    assert kept["registration"]["answers"]["notes"] == "riga 1\r\nriga 2\tfine \u202eabc"


# --- the form definition and the policies ------------------------------------------------
def test_a_number_field_with_its_minimum_above_its_maximum_is_refused(desk):
    field = {"key": "count", "kind": "number", "label": {"it": "Quanti"}, "min_value": 10, "max_value": 1}
    response = desk.as_organiser("put", "/form", json={"fields": [field]})
    assert response.status_code == 422
    assert "min_value" in response.get_json()["errors"]["json"]["fields"]["0"]
    equal = {**field, "min_value": 1, "max_value": 1}
    assert desk.as_organiser("put", "/form", json={"fields": [equal]}).status_code == 200


@pytest.mark.parametrize("bound", [int("9" * 401), 1e20])
def test_a_number_field_bound_beyond_what_answers_may_be_is_refused(desk, bound):
    body = json.dumps(
        {"fields": [{"key": "count", "kind": "number", "label": {"it": "Quanti"}, "max_value": "PLACEHOLDER"}]}
    ).replace('"PLACEHOLDER"', str(bound))
    response = desk.client.put(f"{ORGANISER}/form", data=body, content_type="application/json", headers=desk.headers())
    assert response.status_code == 422, response.get_json()
    assert "max_value" in response.get_json()["errors"]["json"]["fields"]["0"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>", "ftp://x.org/p"],
)
def test_the_privacy_policy_address_must_be_http_or_https(desk, url):
    response = desk.as_organiser("patch", "/policies", json={"privacy_policy_url": url})
    assert response.status_code == 422 and named(response, "privacy_policy_url"), response.get_json()
    accepted = desk.as_organiser("patch", "/policies", json={"privacy_policy_url": "https://comune.example.it/privacy"})
    assert accepted.status_code == 200


def test_a_javascript_policy_address_stored_before_is_never_rendered_as_a_link(desk):
    with desk.factory() as session, session.begin():
        session.execute(update(Listing).where(Listing.id == EVENT_ID).values(privacy_policy_url="javascript:alert(1)"))
    page = desk.client.get(FORM).get_data(as_text=True)
    assert "javascript:" not in page and "informativa sulla privacy" in page
    policy_url = desk.client.get(f"/api/v1/events/{SLUG}/form").get_json()["privacy"]["policy_url"]
    assert policy_url.endswith(f"/registration/events/{SLUG}/privacy?version=1")  # the event's own notice page


def test_an_https_policy_address_is_rendered_as_a_link(desk):
    desk.as_organiser("patch", "/policies", json={"privacy_policy_url": "https://comune.example.it/privacy?a=1&b=2"})
    page = desk.client.get(FORM).get_data(as_text=True)
    assert 'href="https://comune.example.it/privacy?a=1&amp;b=2"' in page


def test_stored_names_keep_working_after_the_rules_tightened(desk):
    """A name stored before one-line fields refused tabs still shows and exports."""
    issued = desk.registered(1)
    with desk.factory() as session, session.begin():
        session.execute(update(Registration).values(first_name="Anna\tMaria"))
    assert desk.own(issued["token"])["first_name"] == "Anna\tMaria"
    assert desk.client.get(f"/r/{issued['token']}").status_code == 200


def test_the_organisers_registrations_page_survives_a_page_number_beyond_any_offset(desk):
    desk.registered(1)
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    for page in (str(10**30), str(2**63), "-5", "x"):
        response = desk.client.get(f"/organiser/events/{SLUG}/registrations?page={page}")
        assert response.status_code == 200, page


def test_option_limits_and_category_quotas_above_the_integer_range_are_refused(desk):
    option = {"key": "a", "label": {"it": "A"}, "limit": 2**31}
    field = {"key": "lunch", "kind": "choice", "label": {"it": "Pranzo"}, "options": [option]}
    response = desk.as_organiser("put", "/form", json={"fields": [field]})
    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]["json"]["fields"]["0"]["options"]["0"]
    category = {"code": "staff", "label": {"it": "Personale"}, "quota": 2**31}
    response = desk.as_organiser("put", "/categories", json={"categories": [category]})
    assert response.status_code == 422
    assert "quota" in response.get_json()["errors"]["json"]["categories"]["0"]
    biggest = {**category, "quota": 2**31 - 1}
    assert desk.as_organiser("put", "/categories", json={"categories": [biggest]}).status_code == 200


def test_the_privacy_policy_version_is_one_line(desk):
    response = desk.as_organiser("patch", "/policies", json={"privacy_policy_version": "2\r\n<b>x</b>"})
    assert response.status_code == 422 and named(response, "privacy_policy_version")
