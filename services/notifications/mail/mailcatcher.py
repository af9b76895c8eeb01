"""The embedded mail catcher: a real SMTP server (aiosmtpd) that keeps every
mail it receives as an .eml file under var/mail. `make run` starts it, so the
embedded default sends mail over SMTP exactly as production does:
`python -m services.notifications.mail.mailcatcher`."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from shared.config import load_settings

log = logging.getLogger(__name__)


class KeepAsEml:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(self.folder / name)  # readers never see half a mail
        log.info("caught mail from %s to %s as %s", envelope.mail_from, envelope.rcpt_tos, name)
        return "250 Message accepted for delivery"


def start(folder: Path, host: str = "127.0.0.1", port: int = 1025) -> Controller:
    controller = Controller(KeepAsEml(folder), hostname=host, port=port)
    controller.start()
    return controller


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s mailcatcher %(message)s")
    folder = load_settings("notifications").mail_dir
    port = int(os.environ.get("MAIL_CATCHER_PORT", "1025"))
    controller = start(folder, host=os.environ.get("MAIL_CATCHER_HOST", "127.0.0.1"), port=port)
    log.info("listening on 127.0.0.1:%s, keeping mail in %s", port, folder)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
