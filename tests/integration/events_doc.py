"""docs/events.md as data: the envelope JSON Schema, the examples and the
topology tables, read from the document so that the document is the contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def doc_text() -> str:
    return DOC.read_text("utf-8")


def fenced_after(marker: str, language: str) -> str:
    """The first ```language block after `<!-- marker -->`."""
    found = re.search(rf"<!-- {re.escape(marker)} -->\s*```{language}\n(.*?)\n```", doc_text(), re.DOTALL)
    assert found, f"docs/events.md has no ```{language} block after <!-- {marker} -->"
    return found.group(1)


def envelope_validator() -> Draft202012Validator:
    schema = json.loads(fenced_after("contract: envelope-json-schema", "json"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def documented_examples() -> dict[tuple[str, int], dict]:
    found = re.findall(r"<!-- example: ([a-z_]+\.[a-z_]+) v(\d+) -->\s*```json\n(.*?)\n```", doc_text(), re.DOTALL)
    return {(event_type, int(version)): json.loads(body) for event_type, version, body in found}


def violations(validator: Draft202012Validator, body: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(body)]


def table_row(first_cell: str) -> str:
    """The row for `first_cell` in the exchange and queue tables."""
    text = doc_text()
    section = text[text.index("## Exchanges") : text.index("### Retries and parking")]
    rows = [line for line in section.splitlines() if line.startswith(f"| {first_cell} |")]
    assert len(rows) == 1, f"docs/events.md needs exactly one table row for {first_cell}"
    return rows[0]
