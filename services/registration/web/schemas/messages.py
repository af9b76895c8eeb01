"""The message organisers write to a group of participants, as the page posts it."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ...models.message import AUDIENCES
from .public import KEY
from .text import SingleLine

SUBJECT = validate.Length(min=1, max=200)
BODY = validate.Length(min=1, max=10000)


class MessageIn(Schema):
    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES))
    category = fields.String(load_default=None, allow_none=True, validate=KEY)
    workshop = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=2**31 - 1))
    subject_it = SingleLine(required=True, validate=SUBJECT)
    body_it = fields.String(required=True, validate=BODY)
    subject_en = SingleLine(load_default=None, allow_none=True, validate=SUBJECT)
    body_en = fields.String(load_default=None, allow_none=True, validate=BODY)

    @validates_schema
    def _group_and_english_are_whole(self, data, **_kwargs):
        if data.get("audience") == "category" and not data.get("category"):
            raise ValidationError("choose a registration category", field_name="category")
        if data.get("audience") == "workshop" and not data.get("workshop"):
            raise ValidationError("choose a workshop", field_name="workshop")
        if bool(data.get("subject_en")) != bool(data.get("body_en")):
            missing = "body_en" if data.get("subject_en") else "subject_en"
            raise ValidationError("write both the English subject and text, or neither", field_name=missing)
