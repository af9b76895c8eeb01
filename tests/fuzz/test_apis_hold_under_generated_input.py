"""Generated requests (schemathesis) against the three OpenAPI documents of a
running system, with and without an organiser's token: no answer is a 5xx, and
every answer has a status and a body that its operation documents, which
carries no catch-all `default` response. A failure lists each kind with a
reproducer (a curl command)."""

from __future__ import annotations

import pytest

from tests.fuzz.conftest import CAMPAIGNS, examples, seconds_per_operation
from tests.fuzz.fuzzer import Campaign, catch_alls, fuzz, load_document

SERVICES = ("scheduling", "registration", "notifications")


@pytest.mark.timeout(600)
@pytest.mark.parametrize("identity", ["anonymous", "organiser"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_is_documented_and_none_is_a_server_error(
    service, identity, fuzz_system, organiser_headers, known
):
    base_url = fuzz_system.url(f"/{service}")
    campaign = Campaign(f"{service} ({identity})")
    CAMPAIGNS.append(campaign)
    document = load_document(base_url)
    assert not catch_alls(document), "a catch-all response would let any status pass"
    fuzz(
        campaign,
        base_url,
        document,
        headers=organiser_headers if identity == "organiser" else {},
        examples=examples(),
        seconds_per_operation=seconds_per_operation(),
        path_parameters=known,
    )
    assert campaign.requests > 0
    found = "\n".join(str(failure) for failure in campaign.failures.values())
    assert not campaign.failures, f"{campaign.summary()}\n{found}"
