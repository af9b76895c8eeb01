"""The pages lead to each other: the event menu reaches certificates and the
satisfaction survey and marks them when open, a participant's own page leads
to the training record request, and an organisation's page to its training
summary and its webhooks, for the roles that may open them."""

from __future__ import annotations

import re

from shared.web.auth import COOKIE
from tests.integration.registration_support import SLUG
from tests.integration.scheduling_support import MARCO, SchedulingDesk, log_in


def current(html: str) -> list[str]:
    """The menu entries marked as the open page."""
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


def test_the_event_menu_reaches_certificates_and_the_survey_and_marks_each(desk):
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    events = f"/registration/organiser/events/{SLUG}"
    for page, marked in (
        ("certificates", f"{events}/certificates"),
        ("final-test", f"{events}/certificates"),
        ("survey", f"{events}/survey"),
        ("registrations", f"{events}/registrations"),
    ):
        answer = desk.client.get(f"/organiser/events/{SLUG}/{page}")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, html
        assert f'href="{events}/certificates"' in html and f'href="{events}/survey"' in html
        assert current(html) == [marked], page
    english = desk.client.get(f"/organiser/events/{SLUG}/survey", headers={"Accept-Language": "en"})
    assert "Certificates</a>" in english.get_data(as_text=True)
    assert "Satisfaction survey</a>" in english.get_data(as_text=True)


def test_a_participant_s_own_page_leads_to_the_training_record(desk):
    token = desk.registered(1)["token"]
    html = desk.client.get(f"/r/{token}").get_data(as_text=True)
    assert '<a href="/record">Il tuo libretto formativo</a>' in html
    assert desk.client.get("/record").status_code == 200


def test_an_organisation_page_leads_to_its_training_summary_and_webhooks(tmp_path):
    desk = SchedulingDesk(tmp_path)
    owner = desk.app.test_client()
    log_in(owner)
    with desk.factory() as session:
        from services.scheduling.models.accounts import Organisation

        ids = {o.slug: o.id for o in session.query(Organisation)}
    html = owner.get("/organiser/organisations/comuni/").get_data(as_text=True)
    assert f'href="/registration/organiser/organisations/{ids["comuni"]}/training"' in html
    assert f'href="/notifications/organiser/organisations/{ids["comuni"]}/webhooks"' in html
    assert "Formazione: ore e crediti per anno" in html
    organiser = desk.app.test_client()
    log_in(organiser, MARCO)  # an organiser, not an owner, of the university: may open both too
    html = organiser.get("/organiser/organisations/ateneo/").get_data(as_text=True)
    assert f'href="/notifications/organiser/organisations/{ids["ateneo"]}/webhooks"' in html
    english = organiser.get("/organiser/organisations/ateneo/", headers={"Accept-Language": "en"})
    assert "Training: hours and credits per year" in english.get_data(as_text=True)
