"""Organisers set an event's delivery mode and online room on the event
form (CSRF on, through Flask's test client): a missing join link is shown
beside its field and the input is kept; the organiser's event page shows
the room, the public page only "Online (Zoom)"."""

from __future__ import annotations

import re

from tests.integration.scheduling_support import SchedulingDesk, log_in, submit

EVENT = {
    "title_it": "Webinar sul bilancio",
    "type": "seminar",
    "starts_at": "2031-03-10T09:00",
    "ends_at": "2031-03-10T13:00",
    "capacity": "30",
    "delivery_mode": "online",
    "online_platform": "zoom",
    "online_join_url": "https://zoom.example.org/j/81234567890?pwd=riservato",
    "online_meeting_id": "812 3456 7890",
    "online_passcode": "246810",
    "join_link_lead_minutes": "45",
}


def desk(tmp_path) -> SchedulingDesk:
    return SchedulingDesk(tmp_path, public_base_url="http://localhost", WTF_CSRF_ENABLED=True)


def test_an_online_event_without_a_join_link_is_refused_beside_the_field_and_kept(tmp_path):
    client = desk(tmp_path).client
    log_in(client)
    response = submit(client, "/organiser/events/new", {**EVENT, "online_join_url": "not a link"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="online_join_url"[^>]*aria-invalid="true"', html), html
    assert 'value="Webinar sul bilancio"' in html and 'value="812 3456 7890"' in html


def test_the_room_set_on_the_form_is_the_organisers_and_the_public_page_names_only_the_platform(tmp_path):
    client = desk(tmp_path).client
    log_in(client)
    response = submit(client, "/organiser/events/new", EVENT)
    assert response.status_code == 303, response.get_data(as_text=True)
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    form = client.get(f"/organiser/events/{slug}/edit").get_data(as_text=True)
    assert EVENT["online_join_url"].replace("&", "&amp;") in form and 'value="45"' in form
    published = submit(client, f"/organiser/events/{slug}", {}, action=f"/organiser/events/{slug}/publish")
    assert published.status_code == 303, published.get_data(as_text=True)
    public = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Online (Zoom)" in public
    for secret in (EVENT["online_join_url"], "81234567890", EVENT["online_meeting_id"], EVENT["online_passcode"]):
        assert secret not in public
