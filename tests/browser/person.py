"""A person in the browser: their own context (cookies, language, screen
size), and a screenshot of every page they see, numbered in order."""

from __future__ import annotations

import re
from pathlib import Path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


class Person:
    def __init__(self, browser, system, shots: Path, name: str, *, locale: str = "it-IT", viewport=DESKTOP):
        self.system, self.shots, self.name = system, shots, name
        self.context = browser.new_context(locale=locale, viewport=viewport, base_url=system.base_url)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.count = 0
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
        return path

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

    def text(self) -> str:
        return self.page.inner_text("main")

    def close(self) -> None:
        self.context.close()
