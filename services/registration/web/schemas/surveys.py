"""Schemas of the satisfaction surveys (organisers' definition and results)
and of the training record (the request for a link, the record, the
organisations' summary)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import BoundedDateTime, localized

from ...models import SURVEY_KINDS
from .public import KEY
from .text import Address

SurveyQuestionText = localized("SurveyQuestionText", Schema, max_length=500, required=True)
SurveyOptionLabel = localized("SurveyOptionLabel", Schema, max_length=200, required=True)
DAYS = validate.Range(min=1, max=365)


class SurveyOptionIn(Schema):
    key = fields.String(required=True, validate=KEY)
    label = fields.Nested(SurveyOptionLabel, required=True)


class SurveyQuestionIn(Schema):
    key = fields.String(required=True, validate=KEY)
    kind = fields.String(required=True, validate=validate.OneOf(SURVEY_KINDS))
    text = fields.Nested(SurveyQuestionText, required=True)
    required = fields.Boolean(load_default=False)
    options = fields.List(fields.Nested(SurveyOptionIn), load_default=list, validate=validate.Length(max=30))


class SurveyIn(Schema):
    """Every setting may be left out (kept as it is); `questions` replace the old ones."""

    anonymous = fields.Boolean()
    opens_at = BoundedDateTime(allow_none=True, metadata={"description": "null: when the event ends"})
    open_days = fields.Integer(validate=DAYS)
    reminder_days = fields.Integer(validate=DAYS)
    questions = fields.List(fields.Nested(SurveyQuestionIn), validate=validate.Length(max=50))


class SurveyOptionOut(Schema):
    key = fields.String()
    label = fields.Dict()


class SurveyQuestionOut(Schema):
    key = fields.String()
    kind = fields.String()
    text = fields.Dict()
    required = fields.Boolean()
    options = fields.List(fields.Nested(SurveyOptionOut))


class SurveyOut(Schema):
    anonymous = fields.Boolean()
    opens_at = fields.AwareDateTime(allow_none=True, metadata={"description": "null: when the event ends"})
    closes_at = fields.AwareDateTime(allow_none=True)
    open_days = fields.Integer()
    reminder_days = fields.Integer()
    locked = fields.Boolean(metadata={"description": "invitations went out: questions and mode are fixed"})
    questions = fields.List(fields.Nested(SurveyQuestionOut))


class SurveyCountOut(Schema):
    key = fields.String()
    label = fields.Dict()
    count = fields.Integer()


class SurveyQuestionResultOut(Schema):
    key = fields.String()
    kind = fields.String()
    text = fields.Dict()
    answered = fields.Integer()
    mean = fields.Float(allow_none=True)
    counts = fields.List(fields.Nested(SurveyCountOut))
    texts = fields.List(fields.String())


class SurveyResultsOut(Schema):
    anonymous = fields.Boolean()
    invited = fields.Integer()
    answered = fields.Integer()
    questions = fields.List(fields.Nested(SurveyQuestionResultOut))


class RecordLinkIn(Schema):
    email = Address(required=True, validate=validate.Length(max=320))
    locale = fields.String(load_default="it", validate=validate.OneOf(("it", "en")))


class RecordCreditOut(Schema):
    type_id = fields.String()
    name = fields.Dict()
    unit = fields.String()
    amount = fields.Float()


class RecordCertificateOut(Schema):
    certificate_id = fields.String()
    status = fields.String(metadata={"description": "valid | revoked (then no longer available)"})
    download_url = fields.String(allow_none=True)
    verification_url = fields.String(allow_none=True)
    issued_at = fields.AwareDateTime()


class RecordEntryOut(Schema):
    event_id = fields.String()
    title = fields.Dict()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    timezone = fields.String()
    venue = fields.String()
    organisation_ids = fields.List(fields.String())
    year = fields.Integer()
    hours = fields.Float()
    credits = fields.List(fields.Nested(RecordCreditOut))
    certificate = fields.Nested(RecordCertificateOut, allow_none=True)


class RecordYearOut(Schema):
    year = fields.Integer()
    hours = fields.Float()


class RecordOut(Schema):
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    entries = fields.List(fields.Nested(RecordEntryOut))
    hours_by_year = fields.List(fields.Nested(RecordYearOut))
    credits_by_type = fields.List(fields.Nested(RecordCreditOut))


class TrainingArgs(Schema):
    group = fields.String(load_default="participants", validate=validate.OneOf(("participants", "organiser")))


class TrainingLineOut(Schema):
    year = fields.Integer()
    group = fields.String()
    people_trained = fields.Integer()
    hours = fields.Float()
    credits = fields.List(fields.Nested(RecordCreditOut))


class TrainingOut(Schema):
    organisation_id = fields.String()
    group = fields.String()
    lines = fields.List(fields.Nested(TrainingLineOut))
