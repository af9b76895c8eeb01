"""Run Mozilla ical.js (Thunderbird, Nextcloud) on iCalendar bytes via node.

Needs Node.js and the npm package ical.js, installed by `npm ci` in tests/validators/icaljs/
(scripts/install-test-deps runs it, as `make test` does; this module never installs
anything). See icaljs/check.mjs for what is checked.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ValidatorUnavailable

ICALJS_DIR = Path(__file__).resolve().parent / "icaljs"
CHECK_SCRIPT = ICALJS_DIR / "check.mjs"
TIMEOUT_SECONDS = 60


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise ValidatorUnavailable(
            "nodejs is not installed (no node on PATH); the ical.js checks need Node.js 18+ and npm:"
            " apt-get install -y nodejs npm, then scripts/install-test-deps"
        )
    if not (ICALJS_DIR / "node_modules" / "ical.js" / "package.json").is_file():
        raise ValidatorUnavailable(
            f"the npm package ical.js is not installed; run scripts/install-test-deps (npm ci --prefix {ICALJS_DIR})"
        )
    return node


def icaljs_check(ics_bytes: bytes) -> dict:
    """ical.js's verdict: {"problems": [...], "events": {UID: {"start", "end"}}}.

    start/end are UTC instants as ISO strings ending in "Z" (dates for all-day events),
    i.e. the time a Thunderbird user would actually see.
    """
    node = _node()
    # A temp file rather than stdin keeps the node side identical to the CLI usage.
    fd, path = tempfile.mkstemp(suffix=".ics")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(ics_bytes)
        run = subprocess.run(
            [node, str(CHECK_SCRIPT), path],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    finally:
        os.unlink(path)
    # 0 = clean, 1 = problems found; anything else means the checker itself broke.
    # (Empty output with exit 1: node died before check.mjs ran, e.g. import failure.)
    if run.returncode not in (0, 1) or not run.stdout.strip():
        raise RuntimeError(f"ical.js checker crashed ({run.returncode}): {run.stderr.decode()}")
    result = json.loads(run.stdout.decode("utf-8").splitlines()[-1])
    result.pop("file", None)  # the temp file name means nothing to callers
    return result
