"""Generated requests against one OpenAPI document of a running service,
with schemathesis (its Python API, no CLI) and Hypothesis.

Each operation is fuzzed with positive data (what the document allows) and
negative data (what it forbids), up to a number of examples and a wall-clock
budget, with three checks on every answer:

- not_a_server_error: no 5xx;
- status_code_conformance: the status is one the operation documents;
- response_schema_conformance: the body matches what it documents for that status.

The document is read from the running service as it is; it must carry no
`default` response (`catch_alls` lists any): a catch-all would let any status
pass, and the point is that every status a route can return is documented with
its body.

Failures are collected, not raised mid-run (no shrinking, so the budget holds):
`Campaign.failures` keeps one reproducer (a curl command) per operation, kind
of failure and status, with how often it happened."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, response_schema_conformance]
# Answered by the HTTP server (gunicorn's request-line and header limits)
# before any route is chosen: the same for every operation, so not in their documents.
SERVER_LIMITS = {414, 431}
REPRODUCER_CHARACTERS = 600
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
HTTP_SECONDS = 15.0


@dataclass
class Found:
    """One kind of failure of one operation: how often, and how to see it again."""

    operation: str
    title: str
    status: int
    message: str
    reproducer: str
    count: int = 1

    @property
    def server_error(self) -> bool:
        return self.status >= 500

    def __str__(self) -> str:
        reproducer = self.reproducer
        if len(reproducer) > REPRODUCER_CHARACTERS:
            reproducer = reproducer[:REPRODUCER_CHARACTERS] + f"... ({len(self.reproducer)} characters)"
        first_line = self.message.strip().splitlines()[0] if self.message.strip() else ""
        return f"{self.operation}: {self.title} (status {self.status}, {self.count}x) {first_line}\n  {reproducer}"


@dataclass
class Campaign:
    """Requests sent and failures found for one document and one identity."""

    name: str
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: dict[tuple[str, str, int], Found] = field(default_factory=dict)  # operation, kind, status
    operations: int = 0

    @property
    def failed_requests(self) -> int:
        return sum(found.count for found in self.failures.values())

    def record(self, case, response: requests.Response, error: FailureGroup | None, headers: dict) -> None:
        self.requests += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if error is None:
            return
        for failure in _failures(error):
            key = (case.operation.label, failure.title or type(failure).__name__, response.status_code)
            if key in self.failures:
                self.failures[key].count += 1
                continue
            self.failures[key] = Found(
                operation=case.operation.label,
                title=key[1],
                status=response.status_code,
                message=failure.message or "",
                reproducer=case.as_curl_command(headers=headers),
            )

    def summary(self) -> str:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.name}: {self.operations} operations, {self.requests} requests "
            f"({statuses}), {self.failed_requests} failed in {len(self.failures)} distinct ways"
        )


def _failures(error: BaseException) -> Iterable[Failure]:
    if isinstance(error, Failure):
        yield error
    elif isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _failures(inner)


def load_document(base_url: str) -> dict:
    """The service's OpenAPI document."""
    response = requests.get(f"{base_url}/api/v1/openapi.json", timeout=HTTP_SECONDS)
    response.raise_for_status()
    return response.json()


def catch_alls(document: dict) -> list[str]:
    """The operations of `document` with a catch-all `default` response."""
    return [
        f"{method.upper()} {path}"
        for path, operations in document.get("paths", {}).items()
        for method, operation in operations.items()
        if isinstance(operation, dict) and "default" in operation.get("responses", {})
    ]


def fuzz(
    campaign: Campaign,
    base_url: str,
    document: dict,
    *,
    headers: dict[str, str] | None = None,
    examples: int,
    seconds_per_operation: float,
    path_parameters: dict[str, object] | None = None,
) -> Campaign:
    """Fuzz every operation of `document` against `base_url`, with generated
    path parameters and then, where an operation has them, with known ones (an
    existing event's slug, a registration's token), so that generated bodies
    also reach the code behind the lookup."""
    schema = schemathesis.openapi.from_dict(document)
    http = requests.Session()
    headers = dict(headers or {})
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            campaign.operations += 1
            names = {parameter.name for parameter in operation.path_parameters}
            fixed = {name: value for name, value in (path_parameters or {}).items() if name in names}
            for mode in MODES:
                for known in ({}, fixed) if fixed else ({},):
                    _fuzz_operation(
                        campaign, operation, mode, base_url, http, headers, known, examples, seconds_per_operation
                    )
    finally:
        http.close()
    return campaign


def _fuzz_operation(campaign, operation, mode, base_url, http, headers, fixed, examples, seconds) -> None:
    deadline = time.monotonic() + seconds
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def run(case) -> None:
        if time.monotonic() > deadline:
            return
        try:
            response = case.call(base_url=base_url, session=http, headers=headers, timeout=HTTP_SECONDS)
        except requests.RequestException as exc:
            # A request the client cannot even send (e.g. a header value it refuses) is not the server's failure.
            if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
                raise
            return
        error = None
        if response.status_code in SERVER_LIMITS:
            campaign.record(case, response, None, headers)
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as exc:
            error = exc
        except Failure as exc:
            error = FailureGroup([exc])
        campaign.record(case, response, error, headers)

    try:
        run()
    except Unsatisfiable:
        pass  # negative mode on an operation with nothing to break
