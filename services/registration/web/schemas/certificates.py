"""Schemas of the certificate rules, the organisers' decisions by hand, and
the final test (the organisers' definition with the right answers, the
participant's paper without them, a submission, the results)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.fields import CreditAmount
from shared.web.fields import Id, Localized, LocalizedTitle, localized

from ...models import DECISIONS, QUESTION_KINDS

FinalTestQuestionText = localized("FinalTestQuestionText", Schema, max_length=2000, required=True)
FinalTestOptionText = localized("FinalTestOptionText", Schema, max_length=1000, required=True)
REASON = validate.Length(min=1, max=1000)


class CertificateRulesIn(Schema):
    min_share_percent = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=1, max=100),  # as the attendance threshold of the policies
        metadata={"description": "Share of the certified hours to attend (the attendance threshold); null: none"},
    )
    mandatory_session_ids = fields.List(Id(), validate=validate.Length(max=200))
    final_test_required = fields.Boolean()


class CertificateRulesOut(CertificateRulesIn):
    pass


class CertificateDecisionIn(Schema):
    action = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = fields.String(required=True, validate=REASON, metadata={"description": "Kept with the decision"})


class CertificateDecisionOut(Schema):
    action = fields.String()
    reason = fields.String()
    certificate_id = fields.String(allow_none=True)
    decided_by = fields.String()
    decided_at = fields.AwareDateTime()


class IssuedCertificateOut(Schema):
    certificate_id = fields.String()
    issued_by = fields.String()
    reason = fields.String()
    hours_total = fields.Float()
    credits = fields.List(fields.Nested(CreditAmount))
    final_test_score = fields.Float(allow_none=True)
    issued_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    revoked_cause = fields.String(allow_none=True)
    revoked_reason = fields.String()
    superseded_by = fields.String(allow_none=True)


class CertificateStandingOut(Schema):
    """Where one registration stands against the rules, its certificates and the decisions."""

    registration_id = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    minutes_attended = fields.Integer()
    hours_attended = fields.Float()
    hours_total = fields.Float()
    share = fields.Float()
    final_test_score = fields.Float(allow_none=True)
    unmet = fields.List(fields.String())
    certificate = fields.Nested(IssuedCertificateOut, allow_none=True)
    history = fields.List(fields.Nested(IssuedCertificateOut))
    decisions = fields.List(fields.Nested(CertificateDecisionOut))


class FinalTestOptionIn(Schema):
    text = fields.Nested(FinalTestOptionText, required=True)
    correct = fields.Boolean(load_default=False)


class FinalTestQuestionIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(QUESTION_KINDS))
    text = fields.Nested(FinalTestQuestionText, required=True)
    options = fields.List(fields.Nested(FinalTestOptionIn), required=True, validate=validate.Length(min=2, max=20))


class FinalTestIn(Schema):
    title = fields.Nested(LocalizedTitle, required=True)
    pass_percent = fields.Integer(required=True, validate=validate.Range(min=1, max=100))
    attempts_allowed = fields.Integer(load_default=1, validate=validate.Range(min=1, max=20))
    opens_at = fields.AwareDateTime(load_default=None, allow_none=True)
    closes_at = fields.AwareDateTime(load_default=None, allow_none=True)
    questions = fields.List(fields.Nested(FinalTestQuestionIn), required=True, validate=validate.Length(min=1, max=100))


class FinalTestOptionOut(Schema):
    id = fields.Integer()
    text = fields.Nested(Localized)
    correct = fields.Boolean()


class FinalTestQuestionOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    text = fields.Nested(Localized)
    options = fields.List(fields.Nested(FinalTestOptionOut))


class FinalTestOut(Schema):
    title = fields.Nested(Localized)
    pass_percent = fields.Integer()
    attempts_allowed = fields.Integer()
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(allow_none=True)
    questions = fields.List(fields.Nested(FinalTestQuestionOut))


class PaperOptionOut(Schema):
    id = fields.Integer()
    text = fields.Nested(Localized)


class PaperQuestionOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    text = fields.Nested(Localized)
    options = fields.List(fields.Nested(PaperOptionOut))


class FinalTestPaperOut(Schema):
    """The test as a participant sees it: no right answers; questions only while it can be taken."""

    title = fields.Nested(Localized)
    pass_percent = fields.Integer()
    attempts_allowed = fields.Integer()
    attempts_used = fields.Integer()
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(allow_none=True)
    open = fields.Boolean()
    can_take = fields.Boolean()
    best_score = fields.Float(allow_none=True)
    passed = fields.Boolean()
    questions = fields.List(fields.Nested(PaperQuestionOut))


class FinalTestAttemptIn(Schema):
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(max=12)),
        values=fields.List(Id(), validate=validate.Length(max=20)),
        required=True,
        validate=validate.Length(max=100),
        metadata={"description": "Question id -> the option ids chosen; a question left out counts as wrong"},
    )


class FinalTestAttemptOut(Schema):
    number = fields.Integer()
    score = fields.Float()
    passed = fields.Boolean()
    attempts_left = fields.Integer()
    submitted_at = fields.AwareDateTime()


class FinalTestOptionResultOut(FinalTestOptionOut):
    chosen = fields.Integer()


class FinalTestQuestionResultOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    text = fields.Nested(Localized)
    share_right = fields.Float(allow_none=True)
    options = fields.List(fields.Nested(FinalTestOptionResultOut))


class FinalTestResultsOut(Schema):
    attempts = fields.Integer()
    participants = fields.Integer()
    passed = fields.Integer()
    questions = fields.List(fields.Nested(FinalTestQuestionResultOut))
