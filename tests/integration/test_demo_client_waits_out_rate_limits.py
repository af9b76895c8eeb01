"""The demo process registers everyone from one address, so it meets the
public API's rate limit (flask-limiter's JSON 429 with Retry-After) and must
wait it out rather than fail: against the real registration app, served over
HTTP with a limit of two registrations per two seconds."""

from __future__ import annotations

import threading
import time

import pytest
from werkzeug.serving import make_server

from services.demo.client import Client
from tests.factories import participant, settings_for
from tests.integration.registration_support import REGISTER, Desk


@pytest.fixture
def served(tmp_path):
    desk = Desk(
        settings_for("registration", tmp_path), RATELIMIT_ENABLED=True, REGISTRATION_RATE_LIMIT="2 per 2 second"
    )
    desk.deliver("event.published", capacity=100)
    server = make_server("127.0.0.1", 0, desk.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_the_demo_client_waits_as_retry_after_says_and_then_registers(served):
    client = Client(served)
    started = time.monotonic()
    statuses = [client.post(REGISTER, participant(n)).status for n in range(1, 4)]
    assert statuses == [201, 201, 201]
    assert time.monotonic() - started >= 1.0  # the third one waited for the window to pass


def test_control_without_waiting_the_third_registration_is_refused(served):
    client = Client(served)
    answers = [client._once("POST", REGISTER, participant(n)) for n in range(1, 4)]
    assert [answer.status for answer, _ in answers] == [201, 201, 429]
    assert answers[-1][1] >= 1.0  # Retry-After, read in seconds
