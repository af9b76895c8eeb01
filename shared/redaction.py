"""Secret links live in URL paths (registration links, feed tokens, agenda
links): anything that writes a path to a log masks them first."""

from __future__ import annotations

import re

SECRET_IN_PATH = re.compile(r"(/r/|/self/|/feeds/|/agenda/|/registrations/(?=[A-Za-z0-9_-]{20,}))[A-Za-z0-9_-]{16,}")
# The pages and API calls that a secret link opens: no cache may keep them.
SECRET_PAGE = re.compile(r"(^|/)(r|self|agenda)/[A-Za-z0-9_-]{16,}")


def redact(path: str) -> str:
    return SECRET_IN_PATH.sub(r"\1***", path)


def opens_with_secret(path: str) -> bool:
    return SECRET_PAGE.search(path) is not None
