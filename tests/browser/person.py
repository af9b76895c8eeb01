"""A person in the browser: their own context (cookies, language, screen
size), a screenshot of every page they see, numbered in order, and axe-core's
WCAG 2.1 AA check of each of those pages (tests/browser/accessibility.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tests.browser import accessibility

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000
# The focused element draws an outline or a box-shadow ring (Bootstrap Italia's or site.css's).
FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return outline || style.boxShadow !== "none";
}"""


class Person:
    def __init__(self, browser, system, shots: Path, name: str, *, locale: str = "it-IT", viewport=DESKTOP):
        self.system, self.shots, self.name = system, shots, name
        self.context = browser.new_context(locale=locale, viewport=viewport, base_url=system.base_url)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(path=str(accessibility.AXE_JS))
        self.page = self.context.new_page()
        self.count = 0
        self.checked: list[str] = []  # the pages axe-core found nothing on
        # Whatever the Content-Security-Policy blocks is a page that does not work as written.
        self.blocked: list[str] = []
        self.page.on("console", self._watch_console)

    def _watch_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.blocked.append(f"{self.page.url}: {message.text}")

    def shot(self, label: str = "") -> Path:
        """Save the whole page as <n>-<person>-<label or path>.png."""
        self.count += 1
        label = label or self.page.url.split("://", 1)[-1].split("/", 1)[-1]
        path = self.shots / f"{self.count:02d}-{self.name}-{re.sub(r'[^A-Za-z0-9]+', '-', label).strip('-')[:60]}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert self.blocked == [], self.blocked
        self.check_accessibility()
        return path

    def check_accessibility(self) -> None:
        """No WCAG 2.0/2.1 A or AA violation that axe-core finds on the page as it is now."""
        found = accessibility.violations(self.page)
        if found and accessibility.collecting():
            print(accessibility.readable(self.page.url, found), file=sys.stderr)
        elif found:
            raise AssertionError(accessibility.readable(self.page.url, found))
        self.checked.append(self.page.url)

    def goto(self, path: str, label: str = ""):
        response = self.page.goto(path)
        self.shot(label)
        return response

    def submit(self, button_name: str, label: str = ""):
        """Click a button by its accessible name and wait for the next page."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button_name, exact=True).first.click()
        self.shot(label or button_name)

    def follow(self, link_name: str, label: str = ""):
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link_name, exact=True).first.click()
        self.shot(label or link_name)

    def fill(self, fields: dict[str, str]) -> None:
        """Fill inputs by their label."""
        for label, value in fields.items():
            self.page.get_by_label(label, exact=True).fill(value)

    def tab_to(self, locator, limit: int = 80) -> None:
        """Press Tab until `locator` has the focus, as someone without a mouse does; the
        focused element must show it (an outline or a ring)."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if locator.evaluate("el => el === document.activeElement"):
                assert self.page.evaluate(FOCUS_SHOWN), f"no visible focus on {locator} at {self.page.url}"
                return
        raise AssertionError(f"{limit} presses of Tab never reached {locator} on {self.page.url}")

    def key_submit(self, key: str, label: str) -> None:
        """Press `key` on the focused element and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.shot(label)

    def text(self) -> str:
        return self.page.inner_text("main")

    def close(self) -> None:
        self.context.close()
