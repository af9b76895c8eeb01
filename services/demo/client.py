"""A small JSON client of the gateway (standard library only: the demo needs
nothing that production does not install). A 429 is waited out as its
Retry-After says: the public API limits registrations per address, and the
demo registers everyone from one."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

log = logging.getLogger("demo")

TIMEOUT_SECONDS = 15.0
MAX_RATE_LIMIT_WAITS = 30


@dataclass
class Answer:
    status: int
    body: object

    @property
    def data(self) -> dict:
        return self.body if isinstance(self.body, dict) else {}


class Unexpected(RuntimeError):
    """The system answered what the demo did not expect (the message says what)."""


@dataclass
class Client:
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> Answer:
        return self.call("GET", path)

    def post(self, path: str, body: dict) -> Answer:
        return self.call("POST", path, body)

    def put(self, path: str, body: dict) -> Answer:
        return self.call("PUT", path, body)

    def call(self, method: str, path: str, body: dict | None = None) -> Answer:
        for _ in range(MAX_RATE_LIMIT_WAITS):
            answer, retry_after = self._once(method, path, body)
            if answer.status != 429:
                return answer
            log.info("%s %s: rate limited, waiting %.0f s as Retry-After says", method, path, retry_after)
            time.sleep(retry_after)
        raise Unexpected(f"{method} {path}: still rate limited after {MAX_RATE_LIMIT_WAITS} waits")

    def expect(self, answer: Answer, *statuses: int, doing: str) -> dict:
        if answer.status not in statuses:
            raise Unexpected(f"{doing}: HTTP {answer.status} {json.dumps(answer.body, ensure_ascii=False)[:500]}")
        return answer.data

    def log_in(self, email: str, password: str) -> None:
        answer = self.post("/scheduling/api/v1/auth/token", {"email": email, "password": password})
        token = self.expect(answer, 200, doing=f"logging in as {email}")["access_token"]
        self.headers["Authorization"] = f"Bearer {token}"

    def _once(self, method: str, path: str, body: dict | None) -> tuple[Answer, float]:
        request = urllib.request.Request(
            self.base_url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Accept": "application/json", "Content-Type": "application/json", **self.headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return Answer(response.status, _json(response.read())), 0.0
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, _json(error.read())), _seconds(error.headers.get("Retry-After"))


def _seconds(retry_after: str | None) -> float:
    """Retry-After in seconds (flask-limiter sends seconds, never a date)."""
    try:
        return max(float(retry_after or 5), 1.0)
    except ValueError:
        return 5.0


def _json(raw: bytes) -> object:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw[:200].decode("utf-8", "replace")
