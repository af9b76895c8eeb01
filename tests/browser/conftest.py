"""Browser tests: the whole system started as real processes (the e2e
harness, embedded mode, with the mail page on), driven by Debian's chromium
through Playwright's sync API. They skip with the reason when chromium or
playwright is missing, and fail instead under CI=true (scripts/install-test-deps
installs chromium, as root; `make test` and .ci/run call it).

Every page visited is saved as a screenshot under test-output/browser/<test>/ and
checked with axe-core against WCAG 2.0/2.1 A and AA (tests/browser/accessibility.py)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.accessibility import axe_missing
from tests.e2e.harness import System, running

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS_DIR = ROOT / "test-output" / "browser"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-test.txt)"
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return (
            f"chromium is not installed (no {CHROMIUM}, none on PATH); install the Debian package:"
            " apt-get install -y chromium (scripts/install-test-deps does, as root)"
        )
    return axe_missing()


def require_browser() -> None:
    reason = _missing()
    if reason and os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    if reason:
        pytest.skip(reason)


class WebSystem(System):
    """The e2e system with the embedded mail page on (MAIL_PAGE_PUBLIC=1, as `make run`)."""

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "MAIL_PAGE_PUBLIC": "1"}


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    require_browser()
    with running(WebSystem("embedded", tmp_path_factory.mktemp("browser")), "the tests ran") as system:
        yield system


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shots_dir(request) -> Path:
    folder = SHOTS_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    system = getattr(item, "funcargs", {}).get("system")
    if report.failed and isinstance(system, System):
        report.sections.append((f"process logs ({system.log_dir})", system.log_text()))
    return report
