"""Run Mozilla ical.js (Thunderbird, Nextcloud) on iCalendar bytes via node.

Needs `node` and `npm ci` run once in tests/validators/icaljs/ (CI does it; this module
never installs anything). See icaljs/check.mjs for what is checked.
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
        raise ValidatorUnavailable("node is not on PATH; ical.js checks need Node.js 18+")
    if not (ICALJS_DIR / "node_modules" / "ical.js" / "package.json").is_file():
        raise ValidatorUnavailable(f"ical.js is not installed; run: npm ci --prefix {ICALJS_DIR}")
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
