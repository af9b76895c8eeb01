"""Validate schedule exports against the c3voc schemas (github.com/voc/schedule, EUPL-1.2).

frab `schedule.xml` -> xsd/schedule.xml.xsd (lxml), c3voc `schedule.json` ->
json/schema.json (jsonschema). The schemas are vendored in tests/conformance/c3voc-schedule/
(licence and upstream commits in its README); CONFORMANCE_DIR overrides tests/conformance/,
e.g. to try a newer upstream snapshot.
"""

import datetime
import json
import os
import re
import uuid
from functools import cache
from pathlib import Path

import jsonschema
from lxml import etree

TESTS_DIR = Path(__file__).resolve().parents[1]
MAX_MESSAGE = 300  # jsonschema messages embed the whole failing instance


def conformance_dir() -> Path:
    """The conformance data: tests/conformance/ of this repository unless CONFORMANCE_DIR is set."""
    return Path(os.environ.get("CONFORMANCE_DIR") or TESTS_DIR / "conformance")


def c3voc_dir() -> Path:
    return conformance_dir() / "c3voc-schedule"


@cache
def _xml_schema(xsd_name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(c3voc_dir() / "xsd" / xsd_name)))


def frab_xml_problems(xml_bytes: bytes, xsd_name: str = "schedule.xml.xsd") -> list[str]:
    """Schema violations in a frab schedule.xml ([] = valid)."""
    # No entity expansion or network access: the document is our own output under test.
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        document = etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    schema = _xml_schema(xsd_name)
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


# jsonschema checks "date-time"/"uri" only if optional packages (rfc3339-validator,
# rfc3987) are installed, and its draft-06 checker knows no "date"/"uuid"; without a
# fallback those formats would silently pass. ajv-formats (used upstream) checks all four.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Absolute URI (RFC 3986): a scheme, then no whitespace or characters never allowed.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True  # formats only constrain strings
    if not _DATE_TIME.fullmatch(value):
        return False
    datetime.datetime.fromisoformat(value.upper())  # range check
    return True


def _is_date(value) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_DATE.fullmatch(value)) and bool(datetime.date.fromisoformat(value))


def _matches(pattern):
    return lambda value: not isinstance(value, str) or bool(pattern.fullmatch(value))


_FALLBACK_FORMATS = {
    "date-time": _is_date_time,
    "date": _is_date,
    "uri": _matches(_URI),
    "uuid": lambda value: not isinstance(value, str) or bool(_matches(_UUID)(value) and uuid.UUID(value)),
}


def _format_checker(validator_class) -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    checker.checkers = dict(validator_class.FORMAT_CHECKER.checkers)
    for name, func in _FALLBACK_FORMATS.items():
        if name not in checker.checkers:
            checker.checks(name, raises=ValueError)(func)
    return checker


@cache
def _json_validator(schema_name: str):
    schema = json.loads((c3voc_dir() / "json" / schema_name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # schemas declare draft-06
    cls.check_schema(schema)
    return cls(schema, format_checker=_format_checker(cls))


def c3voc_json_problems(obj, schema_name: str = "schema.json") -> list[str]:
    """Schema violations in a c3voc schedule.json (parsed object, str or bytes)."""
    if isinstance(obj, (str, bytes)):
        try:
            obj = json.loads(obj)
        except ValueError as exc:
            return [f"not JSON: {exc}"]
    errors = _json_validator(schema_name).iter_errors(obj)
    problems = []
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, error.absolute_path)) or "(root)"
        problems.append(f"{where}: {error.message[:MAX_MESSAGE]}")
    return problems
