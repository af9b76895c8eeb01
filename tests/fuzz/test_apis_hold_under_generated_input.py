"""Generated requests (schemathesis) against the three OpenAPI documents of a
running system, with and without an organiser's token: no answer is a 5xx, and
every answer has a status and a body that its operation documents.

Registration's document does not list every status its routes answer yet
(401, 404, 409, 429 and 400 on most operations): while those are its only
failures, its runs are expected to fail and list each one with a reproducer;
a 5xx or a body that contradicts the document fails them as anywhere else."""

from __future__ import annotations

import pytest

from tests.fuzz.conftest import CAMPAIGNS, examples, seconds_per_operation
from tests.fuzz.fuzzer import Campaign, fuzz, load_document

SERVICES = ("scheduling", "registration", "notifications")
UNDOCUMENTED = "Undocumented status code"


@pytest.mark.timeout(600)
@pytest.mark.parametrize("identity", ["anonymous", "organiser"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_is_documented_and_none_is_a_server_error(
    service, identity, fuzz_system, organiser_headers, known
):
    base_url = fuzz_system.url(f"/{service}")
    campaign = Campaign(f"{service} ({identity})")
    CAMPAIGNS.append(campaign)
    fuzz(
        campaign,
        base_url,
        load_document(base_url),
        headers=organiser_headers if identity == "organiser" else {},
        examples=examples(),
        seconds_per_operation=seconds_per_operation(),
        path_parameters=known,
    )
    assert campaign.requests > 0
    found = "\n".join(str(failure) for failure in campaign.failures.values())
    undocumented_only = all(kind == UNDOCUMENTED for _, kind, _ in campaign.failures)
    if service == "registration" and campaign.failures and undocumented_only:
        pytest.xfail(f"registration's document lacks statuses it answers: {campaign.summary()}\n{found}")
    assert not campaign.failures, f"{campaign.summary()}\n{found}"
