"""Credit types and credit amounts in and out of the API. Credits are public
facts of a course ("3 CFP revisori"): every answer about an event carries them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import LocalizedName, one_line

# The contract's bounds (shared/events/fields.py CreditAmount, SessionData.hours).
MAX_AMOUNT = 10_000
MAX_HOURS = 1_000
UNIT_LENGTH = 40  # the column's


class CreditAmountIn(Schema):
    type_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    amount = fields.Float(required=True, validate=validate.Range(min=0, max=MAX_AMOUNT))


def credits_field(of: str) -> fields.List:
    return fields.List(
        fields.Nested(CreditAmountIn),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={
            "description": f"credits granted for the {of}, each of a credit type of one of the event's "
            "organisations; given whole (an empty list grants none)"
        },
    )


HOURS = fields.Float(
    load_default=None,
    allow_none=True,
    validate=validate.Range(min=0, max=MAX_HOURS),
    metadata={"description": "hours of training the session certifies; null: its duration"},
)


class CreditAmountOut(Schema):
    type_id = fields.String()
    organisation_id = fields.String()
    name = fields.Dict(metadata={"description": "{it, en}"})
    unit = fields.String()
    amount = fields.Float()


class CreditTypeIn(Schema):
    name = fields.Nested(LocalizedName, required=True)
    unit = fields.String(
        load_default="",
        validate=[validate.Length(max=UNIT_LENGTH), one_line],
        metadata={"description": "how amounts are counted, e.g. CFP"},
    )


class CreditTypePatch(CreditTypeIn):
    """Any fields of CreditTypeIn; the name is given whole."""

    def __init__(self, **kwargs):
        super().__init__(partial=tuple(CreditTypeIn._declared_fields), **kwargs)


class CreditTypeOut(Schema):
    id = fields.String()
    organisation_id = fields.String()
    name = fields.Function(lambda t: {"it": t.name_it, "en": t.name_en})
    unit = fields.String()


def credit_type_row(data: dict) -> dict:
    row = {key: value for key, value in data.items() if key != "name"}
    if "name" in data:
        row.update(name_it=data["name"]["it"], name_en=data["name"].get("en"))
    return row
