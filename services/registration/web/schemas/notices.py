"""Privacy notices in and out of the organisers' API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from ...privacy_notices import TEXT_LIMIT

TEXT = validate.Length(min=1, max=TEXT_LIMIT)


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Missing data for required field.")  # blank is missing: the pages say so in words


class NoticeIn(Schema):
    text_it = fields.String(
        required=True,
        validate=[TEXT, not_blank],
        metadata={"description": "Plain paragraphs (a blank line between), '## ' headings, '- ' lists; escaped"},
    )
    text_en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=TEXT_LIMIT))


class NoticeOut(Schema):
    version = fields.Integer(metadata={"description": "Grows by one with each publication; 1 is the default notice"})
    own = fields.Boolean(metadata={"description": "False: the operator's default notice"})
    text_it = fields.String()
    text_en = fields.String(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    url = fields.String(metadata={"description": "The public page of this version"})


class NoticesOut(Schema):
    current = fields.Integer()
    versions = fields.List(fields.Nested(NoticeOut))
