"""The envelope and the versioned event schemas: what goes on the bus."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from shared.envelope import InvalidMessage, build_envelope, parse_envelope
from shared.events import data_schema, registered
from tests.factories import event_data

GOLDEN = Path(__file__).parent / "golden"


def golden_files():
    return sorted(GOLDEN.glob("*.json"))


def test_an_envelope_round_trips_with_typed_data():
    body = build_envelope("event.published", event_data(), producer="scheduling", correlation_id="req-1")
    envelope = parse_envelope(json.dumps(body))
    assert envelope.type == "event.published" and envelope.version == 1
    assert envelope.producer == "scheduling" and envelope.correlation_id == "req-1"
    assert envelope.data["starts_at"] == dt.datetime(2030, 12, 16, 8, 30, tzinfo=dt.timezone.utc)
    assert envelope.occurred_at.tzinfo is not None


def test_a_producer_cannot_build_an_invalid_event():
    with pytest.raises(ValueError, match="timezone"):
        build_envelope("event.published", event_data(timezone="Mars/Olympus"), producer="scheduling")


def test_an_unchecked_build_leaves_the_check_to_whoever_reads_the_body():
    """The outbox builds without the check (its relay checks before publishing):
    the same bad data then fails parse_envelope, the relay's and consumers' check."""
    body = build_envelope("event.published", event_data(timezone="Mars/Olympus"), producer="scheduling", check=False)
    with pytest.raises(InvalidMessage, match="timezone"):
        parse_envelope(json.dumps(body))


@pytest.mark.parametrize(
    "body, reason",
    [
        ("not json at all", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ({"id": "x"}, "invalid"),
        ({**build_envelope("event.published", event_data(), producer="s"), "type": "event.exploded"}, "unknown"),
        ({**build_envelope("event.published", event_data(), producer="s"), "version": 99}, "version 99"),
        ({**build_envelope("event.published", event_data(), producer="s"), "data": {"slug": 1}}, "invalid"),
    ],
)
def test_an_invalid_body_is_refused_with_its_reason(body, reason):
    with pytest.raises(InvalidMessage, match=reason):
        parse_envelope(body if isinstance(body, str) else json.dumps(body))


def test_a_body_delivered_as_a_string_is_parsed_like_a_dict():
    body = build_envelope("event.published", event_data(), producer="scheduling")
    assert parse_envelope(json.dumps(body)) == parse_envelope(body)


def test_fields_a_consumer_does_not_know_are_ignored():
    body = build_envelope("event.published", event_data(), producer="scheduling")
    body["data"]["added_later"] = {"x": 1}
    body["added_to_envelope"] = True
    assert "added_later" not in parse_envelope(body).data


def test_every_registered_event_type_has_a_golden_sample():
    samples = {
        path.name.rsplit(".v", 1)[0] + f"@{path.name.rsplit('.v', 1)[1].split('.')[0]}" for path in golden_files()
    }
    assert {f"{t}@{v}" for t, v in registered()} <= samples


@pytest.mark.parametrize("path", golden_files(), ids=lambda p: p.name)
def test_golden_samples_still_load_and_keep_every_field(path):
    """Within a version, changes are additive: an old message still loads and
    nothing it carried disappears from what the schema produces."""
    body = json.loads(path.read_text(encoding="utf-8"))
    envelope = parse_envelope(body)
    schema, _ = data_schema(envelope.type, envelope.version)
    assert _paths(body["data"]) <= _paths(schema.dump(envelope.data))


def _paths(value, prefix=""):
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in _paths(v, f"{prefix}.{k}")} | {prefix}
    return {prefix}
