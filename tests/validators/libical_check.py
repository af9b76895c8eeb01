"""libical (the C library behind Evolution/GNOME and many CalDAV servers) via ctypes.

    python -m tests.validators.libical_check FILE...    # exit 1 on any problem

libical never rejects input outright: it parses what it can and inserts X-LIC-ERROR
properties where something was wrong. icalrestriction_check() adds more of them for
missing/extra properties, using the RFC 5546 (iTIP) table of the calendar's METHOD, or
the plain RFC 5545 rules when there is no METHOD. We collect all of them, plus two TZID
checks libical does not do itself. Debian/Ubuntu: `apt-get install libical3`.
Only stdlib imports, so the CLI runs under any Python 3.
"""

import ctypes
import sys
from functools import lru_cache

try:  # `python -m tests.validators.libical_check` and `import tests.validators`
    from .errors import ValidatorUnavailable
except ImportError:  # run as a plain script
    from errors import ValidatorUnavailable

LIBRARY = "libical.so.3"
# Wildcard kinds for the iterators; "ANY" has no string form, so these are the enum values
# (icalcomponent_kind: NO=0, ANY=1; icalproperty_kind: ANY=0), stable across libical 1-3.
ICAL_ANY_COMPONENT = 1
ICAL_ANY_PROPERTY = 0

_p = ctypes.c_void_p
# name -> (restype, argtypes); declared so 64-bit pointers are not truncated to int.
_SIGNATURES = {
    "icalerror_set_errors_are_fatal": (None, [ctypes.c_int]),
    "icalparser_parse_string": (_p, [ctypes.c_char_p]),
    "icalrestriction_check": (ctypes.c_int, [_p]),
    "icalcomponent_free": (None, [_p]),
    "icalcomponent_isa": (ctypes.c_int, [_p]),
    "icalcomponent_string_to_kind": (ctypes.c_int, [ctypes.c_char_p]),
    "icalcomponent_get_first_component": (_p, [_p, ctypes.c_int]),
    "icalcomponent_get_next_component": (_p, [_p, ctypes.c_int]),
    "icalcomponent_get_first_property": (_p, [_p, ctypes.c_int]),
    "icalcomponent_get_next_property": (_p, [_p, ctypes.c_int]),
    "icalcomponent_get_timezone": (_p, [_p, ctypes.c_char_p]),
    "icalproperty_string_to_kind": (ctypes.c_int, [ctypes.c_char_p]),
    "icalproperty_as_ical_string": (ctypes.c_char_p, [_p]),
    "icalproperty_get_parameter_as_string": (ctypes.c_char_p, [_p, ctypes.c_char_p]),
    "icaltimezone_get_builtin_timezone": (_p, [ctypes.c_char_p]),
}


@lru_cache(maxsize=1)
def _lib():
    """Load libical once, on first use (no I/O at import time)."""
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError as exc:
        raise ValidatorUnavailable(
            f"libical3 is not installed ({LIBRARY}: {exc}); install it with: apt-get install -y libical3"
            " (scripts/install-test-deps does, as root)"
        ) from exc
    for name, (restype, argtypes) in _SIGNATURES.items():
        func = getattr(lib, name)
        func.restype, func.argtypes = restype, argtypes
    lib.icalerror_set_errors_are_fatal(0)  # never abort() the test process
    return lib


def _children(lib, comp):
    child = lib.icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT)
    while child:
        yield child
        child = lib.icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT)


def _properties(lib, comp, kind):
    prop = lib.icalcomponent_get_first_property(comp, kind)
    while prop:
        yield prop
        prop = lib.icalcomponent_get_next_property(comp, kind)


def _walk(lib, comp):
    """The component and all its descendants, depth first."""
    yield comp
    for child in list(_children(lib, comp)):
        yield from _walk(lib, child)


def _text(raw: bytes) -> str:
    """Unfold a serialised property into one readable line."""
    return raw.decode("utf-8", "replace").replace("\r\n ", "").strip()


def _tzid_problems(lib, vcalendar) -> list[str]:
    problems, seen = [], set()
    vtimezone = lib.icalcomponent_string_to_kind(b"VTIMEZONE")
    for comp in _walk(lib, vcalendar):
        if lib.icalcomponent_isa(comp) == vtimezone:
            continue  # TZID inside VTIMEZONE is the definition, not a use
        for prop in _properties(lib, comp, ICAL_ANY_PROPERTY):
            tzid = lib.icalproperty_get_parameter_as_string(prop, b"TZID")
            if not tzid or tzid in seen:
                continue
            seen.add(tzid)
            name = tzid.decode("utf-8", "replace")
            # RFC 5545 3.2.19: every TZID used MUST have a VTIMEZONE in the same object.
            if not lib.icalcomponent_get_timezone(vcalendar, tzid):
                problems.append(f"TZID {name} has no VTIMEZONE")
            # Clients map TZIDs to their own zone database: a non-IANA label is a guess.
            if not lib.icaltimezone_get_builtin_timezone(tzid):
                problems.append(f"TZID {name} is not a time zone libical knows")
    return problems


def _calendars(lib, root):
    """libical returns the VCALENDAR itself, or an XROOT wrapping several."""
    vcalendar = lib.icalcomponent_string_to_kind(b"VCALENDAR")
    if lib.icalcomponent_isa(root) == vcalendar:
        return [root]
    return [c for c in _children(lib, root) if lib.icalcomponent_isa(c) == vcalendar]


def libical_problems(ics_bytes: bytes) -> list[str]:
    """Everything libical objects to in this iCalendar object ([] = clean)."""
    lib = _lib()
    if b"\0" in ics_bytes:
        return ["NUL byte in iCalendar data"]
    root = lib.icalparser_parse_string(ics_bytes)
    if not root:
        return ["libical could not parse anything"]
    try:
        calendars = _calendars(lib, root)
        if not calendars:
            return ["no VCALENDAR found"]
        problems = []
        error_kind = lib.icalproperty_string_to_kind(b"X-LIC-ERROR")
        for vcalendar in calendars:
            # Adds X-LIC-ERRORs to the tree; its return value says nothing more.
            lib.icalrestriction_check(vcalendar)
            for comp in _walk(lib, vcalendar):
                for prop in _properties(lib, comp, error_kind):
                    problems.append(_text(lib.icalproperty_as_ical_string(prop)))
            problems += _tzid_problems(lib, vcalendar)
        return problems
    finally:
        lib.icalcomponent_free(root)


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: python -m tests.validators.libical_check FILE...", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        with open(path, "rb") as handle:
            problems = libical_problems(handle.read())
        print(f"{path}: {'ok' if not problems else 'FAIL'}")
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
