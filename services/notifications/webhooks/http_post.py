"""One POST to a receiver with the standard library's http.client: a
timeout on connecting and reading, no redirects (a 3xx is an answer like any
other non-2xx), TLS verified against the system's CAs, and at most a few
kilobytes of the answer read."""

from __future__ import annotations

import http.client
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

READ_AT_MOST = 4096
EXCERPT = 300
USER_AGENT = "Eventi-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Unreachable(Exception):
    """No HTTP answer: connection refused, DNS, TLS or a timeout."""


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    parts = urlsplit(url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
            },
        )
        response = connection.getresponse()
        text = response.read(READ_AT_MOST).decode("utf-8", "replace")
        return Answer(response.status, " ".join(text.split())[:EXCERPT])
    except (OSError, http.client.HTTPException) as exc:
        raise Unreachable(f"{type(exc).__name__}: {exc}"[:400]) from None
    finally:
        connection.close()
