"""A real SMTP server for end-to-end tests: aiosmtpd on a free 127.0.0.1
port, keeping every message it accepts, with waits that have deadlines."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

HOST = "127.0.0.1"


def free_port() -> int:
    """A port the kernel just handed out on 127.0.0.1 (closed again for the caller)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class CaughtMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage

    def summary(self) -> str:
        return f"{self.rcpt_tos} {self.message['Subject']!r} ({self.message.get_content_type()})"


class MailSink:
    """A real SMTP server (aiosmtpd) keeping every message it accepts.
    `check` runs while waiting, so a dead sender fails fast."""

    def __init__(self, check: Callable[[], None] = lambda: None):
        self.mails: list[CaughtMail] = []
        self._changed = threading.Condition()
        self.controller = None
        self.port: int | None = None
        self.check = check

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        with self._changed:
            self.mails.append(CaughtMail(envelope.mail_from, tuple(envelope.rcpt_tos), raw, parsed))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> MailSink:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.controller = Controller(self, hostname=HOST, port=self.port, ready_timeout=10)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://{HOST}:{self.port}"

    def to(self, address: str) -> list[CaughtMail]:
        with self._changed:
            return self._matching(address)

    def wait_for(self, address: str, count: int, timeout: float = 30) -> list[CaughtMail]:
        """The first `count` mails to `address`, in arrival order."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._matching(address)) < count:
                self.check()
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = "\n  ".join(m.summary() for m in self.mails) or "(none)"
                    raise AssertionError(
                        f"timed out after {timeout:.0f}s waiting for {count} mail(s) to "
                        f"{address}; the SMTP server got:\n  {seen}"
                    )
                self._changed.wait(min(left, 0.5))
            return self._matching(address)[:count]

    def _matching(self, address: str) -> list[CaughtMail]:
        return [m for m in self.mails if address.lower() in (r.lower() for r in m.rcpt_tos)]
