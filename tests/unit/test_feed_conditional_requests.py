"""When a feed answers 304 Not Modified (RFC 9110 13.1.2 and 13.2.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from services.scheduling.schedule_cache import Rendered, strong_etag
from services.scheduling.web.api.feeds import not_modified

BODY = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
RENDERED = Rendered(BODY, strong_etag(BODY), dt.datetime(2027, 1, 10, 9, 0, 0, tzinfo=dt.timezone.utc))
TAG = RENDERED.etag


def test_the_etag_is_a_strong_quoted_hash_of_the_body():
    assert TAG.startswith('"') and TAG.endswith('"') and not TAG.startswith("W/")
    assert strong_etag(BODY) == TAG != strong_etag(BODY + b" ")


@pytest.mark.parametrize("header", [TAG, f'"other", {TAG}', f"W/{TAG}", "*"])
def test_a_matching_if_none_match_is_not_modified(header):
    assert not_modified(header, None, RENDERED)


@pytest.mark.parametrize("header", ['"other"', TAG.strip('"'), ""])
def test_another_etag_is_modified_even_if_the_date_says_otherwise(header):
    assert not not_modified(header, "Sun, 10 Jan 2027 09:00:00 GMT", RENDERED)


@pytest.mark.parametrize(
    "since, expected",
    [
        ("Sun, 10 Jan 2027 09:00:00 GMT", True),
        ("Mon, 11 Jan 2027 00:00:00 GMT", True),
        ("Sun, 10 Jan 2027 08:59:59 GMT", False),
        ("yesterday", False),
    ],
)
def test_if_modified_since_compares_with_last_modified(since, expected):
    assert not_modified(None, since, RENDERED) is expected


def test_without_conditions_the_body_is_sent():
    assert not not_modified(None, None, RENDERED)
