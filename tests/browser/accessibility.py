"""axe-core in the browser: the WCAG 2.0 and 2.1 A and AA rules on the page as shown.

axe-core (npm, pinned in tests/browser/axe/package-lock.json, installed by
scripts/install-test-deps) enters every page as an init script: the DevTools protocol
runs it before the page's own scripts and outside its Content-Security-Policy, which
refuses any inline <script> (page.add_script_tag would be one) and stays as strict as
in production."""

from __future__ import annotations

import os
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const results = await window.axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


def axe_missing() -> str | None:
    if AXE_JS.exists():
        return None
    return f"axe-core is not installed (no {AXE_JS}): run scripts/install-test-deps (npm ci in tests/browser/axe)"


def violations(page) -> list[dict]:
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def readable(url: str, found: list[dict]) -> str:
    """One line per rule and one per element: rule id, impact, selector, on which page."""
    lines = [f"{len(found)} WCAG 2.1 AA violation(s) on {url}:"]
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    at {target}" for target in v["targets"]]
        if v["summary"]:
            lines.append("    " + v["summary"].replace("\n", "\n    "))
    return "\n".join(lines)


def collecting() -> bool:
    """AXE_COLLECT=1 prints every page's violations and goes on, to fix them in one pass."""
    return os.environ.get("AXE_COLLECT") == "1"
