"""The access log never writes a participant's secret link or feed token."""

import pytest

from deploy.access_log import redact

SECRET = "BGu-GaeAM9vr6iRiOQDMN6aZ8M_EpcLVU19BSC7XYL0"


@pytest.mark.parametrize(
    "path",
    [
        f"/registration/r/{SECRET}",
        f"/registration/r/{SECRET}/cancel",
        f"/registration/api/v1/self/{SECRET}",
        f"/notifications/feeds/{SECRET}.ics",
        f"/notifications/agenda/{SECRET}",
        f"/notifications/api/v1/registrations/{SECRET}/feed",
    ],
)
def test_secret_paths_are_masked(path):
    assert SECRET not in redact(path) and "***" in redact(path)


def test_ordinary_paths_are_logged_as_they_are():
    assert redact("/scheduling/events/bilancio-2026/schedule.ics") == "/scheduling/events/bilancio-2026/schedule.ics"
