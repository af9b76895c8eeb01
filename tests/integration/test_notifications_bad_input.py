"""Bad input to notifications' API and feeds is refused with a 4xx naming the
field, on SQLite and on PostgreSQL (where an id beyond its `integer` used to
end in a 500)."""

from __future__ import annotations

import pytest

from tests.integration.notification_helpers import Notifications, event, registration

BEYOND_INTEGER = 2**31


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    database_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    notifications = Notifications(tmp_path, database_url=database_url)
    notifications.publish("event.published", event())
    notifications.publish("registration.confirmed", registration("confirmed"))
    return notifications


def test_a_page_of_the_delivery_log_beyond_the_integer_column_is_refused(notifications):
    client, headers = notifications.client(), notifications.organiser_headers()

    response = client.get(f"/api/v1/deliveries?before_id={BEYOND_INTEGER}", headers=headers)

    assert response.status_code == 422, response.json
    assert "before_id" in response.json["errors"]["query"]
    # control: the largest id the column holds pages as usual
    largest = client.get(f"/api/v1/deliveries?before_id={BEYOND_INTEGER - 1}", headers=headers)
    assert largest.status_code == 200
    assert len(largest.json) == len(notifications.deliveries()) > 0


@pytest.mark.parametrize("name", ["event_id", "kind", "registration_id", "recipient"])
def test_a_delivery_filter_longer_than_any_value_is_refused_naming_it(notifications, name):
    client, headers = notifications.client(), notifications.organiser_headers()

    response = client.get(f"/api/v1/deliveries?{name}={'x' * 1000}", headers=headers)

    assert response.status_code == 422, response.json
    assert name in response.json["errors"]["query"]


@pytest.mark.parametrize("path", ["/feeds/%00.ics", "/feeds/a%00b.ics", "/api/v1/feeds/%00/rotate"])
def test_a_feed_address_with_a_nul_byte_is_no_feed(notifications, path):
    method = "post" if path.endswith("rotate") else "get"

    response = getattr(notifications.client(), method)(path)

    assert response.status_code == 404, response.get_data(as_text=True)
