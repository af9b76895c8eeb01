"""End-to-end fixtures: the whole system, started once per module and mode.

`system` is parametrized over the two ways to run (embedded: SQLite +
filesystem://; production: PostgreSQL + RabbitMQ). When a test fails, the
tail of every process log is attached to its report; the full logs stay in
the test's tmp dir (`<basetemp>/e2e-<mode>*/logs/`)."""

from __future__ import annotations

import pytest

from tests.e2e.harness import MODES, System, running


@pytest.fixture(scope="module", params=MODES)
def system(request, tmp_path_factory):
    # A process dying mid-test is a failure even if the assertions passed.
    with running(System(request.param, tmp_path_factory.mktemp(f"e2e-{request.param}")), "the tests ran") as started:
        yield started


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    system = getattr(item, "funcargs", {}).get("system")
    if report.failed and isinstance(system, System):
        report.sections.append((f"process logs ({system.mode}, {system.log_dir})", system.log_text()))
    return report
