"""The fault suite's servers (one RabbitMQ node, a three-node RabbitMQ
cluster for the cluster test, and one PostgreSQL cluster of its own per
session) and options. The scenarios run only when
tests/faults is named on the command line (`make test-faults`); a plain
`pytest` (`make test`) runs the quick tests here (the checker's controls,
the relay heartbeat) and deselects the scenarios.

Options: `--rounds N` (fault rounds per scenario after its control run,
default 1), `--registrations N` (per run, default 36), `--faults-report
PATH` (a Markdown table of every run's counters, for docs/reliability.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests import servers
from tests.faults.servers import PgCluster, RabbitCluster, RabbitNode, own_tmp_dir

HERE = Path(__file__).resolve().parent
RESULTS: list[dict] = []


def pytest_addoption(parser):
    group = parser.getgroup("faults")
    group.addoption("--rounds", type=int, default=1, help="fault rounds per scenario (after its control run)")
    group.addoption("--registrations", type=int, default=36, help="registrations per workload run")
    group.addoption("--faults-report", default=None, help="write the figures table (Markdown) here")


def pytest_configure(config):
    config.addinivalue_line("markers", "fault_scenario: a whole-system fault scenario (make test-faults)")


def _named(config) -> bool:
    for arg in config.invocation_params.args:
        path = Path(str(arg).split("::", 1)[0])
        try:
            path.resolve().relative_to(HERE)
            return True
        except ValueError:
            continue
    return False


def pytest_collection_modifyitems(config, items):
    if _named(config):
        return
    skipped = [item for item in items if item.get_closest_marker("fault_scenario")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not item.get_closest_marker("fault_scenario")]


def _tools_present() -> None:
    missing = [tool for tool in ("initdb", "pg_ctl") if shutil.which(tool) is None]
    if not Path("/usr/lib/rabbitmq/bin/rabbitmq-server").exists():
        missing.append("rabbitmq-server")
    servers.require(not missing, f"the fault suite needs {', '.join(missing)}")


@pytest.fixture(scope="session")
def rabbit():
    _tools_present()
    node = RabbitNode(own_tmp_dir("eventi-faults-rabbitmq-")).start()
    yield node
    node.destroy()
    shutil.rmtree(node.base, ignore_errors=True)


@pytest.fixture(scope="session")
def rabbit_cluster():
    """Three RabbitMQ nodes clustered (tests/faults/test_cluster.py)."""
    _tools_present()
    cluster = RabbitCluster(own_tmp_dir("eventi-faults-cluster-"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()
        shutil.rmtree(cluster.base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg():
    _tools_present()
    cluster = PgCluster(own_tmp_dir("eventi-faults-pg-")).init()
    yield cluster
    cluster.destroy()
    shutil.rmtree(cluster.base, ignore_errors=True)


@pytest.fixture(scope="session")
def results(request):
    yield RESULTS
    path = request.config.getoption("--faults-report")
    if path and RESULTS:
        from tests.faults.report import markdown

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(markdown(RESULTS))
        Path(path).with_suffix(".json").write_text(json.dumps(RESULTS, indent=1))


def pytest_terminal_summary(terminalreporter):
    if RESULTS:
        from tests.faults.report import markdown

        terminalreporter.write_sep("=", "fault suite figures")
        terminalreporter.write_line(markdown(RESULTS))
