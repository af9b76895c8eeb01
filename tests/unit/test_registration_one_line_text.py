"""One-line fields (names, organisation, role) refuse exactly what their
OpenAPI pattern says, so API clients and fuzzers know the rule."""

from __future__ import annotations

import re

import pytest
from marshmallow import ValidationError

from services.registration.web.schemas.text import ONE_LINE_PATTERN, ascii_address, one_line


def accepted(value: str) -> bool:
    try:
        one_line(value)
    except ValidationError:
        return False
    return True


def test_the_documented_pattern_is_the_rule_for_every_character_of_the_first_planes():
    pattern = re.compile(ONE_LINE_PATTERN.removeprefix("^").removesuffix("$"))  # ECMA's ^...$ as a full match
    for code in (*range(0xD800), *range(0xE000, 0x30000)):
        char = chr(code)
        assert accepted(char) == bool(pattern.fullmatch(char)), f"U+{code:04X}"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("anna@example.org", "anna@example.org"),
        ("Anna.B+eventi@EXAMPLE.org", "Anna.B+eventi@example.org"),
        ("anna@exämple.org", "anna@xn--exmple-cua.org"),
        ("anna@EXÄMPLE.org", "anna@xn--exmple-cua.org"),
        ("post@straße.de", "post@xn--strae-oqa.de"),
        ("info@例子.广告", "info@xn--fsqu00a.xn--4rr70v"),
        (" anna@example.org ", "anna@example.org"),
    ],
)
def test_addresses_are_stored_with_their_domain_in_ascii(typed, stored):
    assert ascii_address(typed) == stored


@pytest.mark.parametrize(
    "typed", ["ännä@example.org", "anna@", "@example.org", "anna", "anna@exa_mple..org", "a@b@exämple.org\n"]
)
def test_addresses_that_cannot_be_mailed_are_refused(typed):
    with pytest.raises(ValidationError):
        ascii_address(typed)
