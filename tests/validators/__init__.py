"""Independent validation harness: parsers the project did not write, judging its output.

No single parser catches every broken file: each one lets some of the broken fixtures in
tests/conformance/icalendar-fixtures/ through (its README lists who catches which), so
tests should use all of them:

    from tests.validators import all_problems
    assert all_problems(ics_bytes) == {name: [] for name in VALIDATORS}

Single parsers: libical_check.libical_problems, icaljs.icaljs_check (also gives the UTC
instants a client shows), pyparsers.*_problems; schedule exports: schedule.*_problems.

Outside tools: the Debian package libical3 and the npm package ical.js (npm ci in
tests/validators/icaljs/, needs Node.js); scripts/install-test-deps installs both. When one
is missing, all_problems() leaves its key out, except in strict mode (default: env
CI=true), where it raises ValidatorUnavailable, whose message names the package to
install, so CI can never pass by checking less.
"""

import os

from .errors import ValidatorUnavailable

VALIDATORS = ("libical", "icaljs", "vobject", "ical", "icalendar")

__all__ = [
    "VALIDATORS",
    "ValidatorUnavailable",
    "all_problems",
    "strict_mode",
]


def strict_mode() -> bool:
    """In CI a missing outside parser is an error, never a skip."""
    return os.environ.get("CI", "").lower() == "true"


def all_problems(ics_bytes: bytes, *, strict: bool | None = None) -> dict[str, list[str]]:
    """Run every available parser: {validator name: problems}; all lists empty = clean."""
    # Imported here, not at the top: `python -m tests.validators.libical_check` imports
    # this package first, and must neither re-import itself nor need the pip packages.
    from .icaljs import icaljs_check
    from .libical_check import libical_problems
    from .pyparsers import ical_problems, icalendar_problems, vobject_problems

    checks = {
        "libical": libical_problems,
        "icaljs": lambda data: icaljs_check(data)["problems"],
        "vobject": vobject_problems,
        "ical": ical_problems,
        "icalendar": icalendar_problems,
    }
    strict = strict_mode() if strict is None else strict
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check(ics_bytes)
        except ValidatorUnavailable:
            if strict:
                raise
    return results
