"""Schemas of the form definition (public and organiser) and of the organiser API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.web.fields import Localized, localized

from ...answers import MAX_NUMBER
from ...models import FIELD_KINDS, PROMOTION_MODES, TRANSITIONS
from .public import KEY, SESSION_ID, RegistrationOut
from .text import SingleLine

ShortLocalized = localized("ShortLocalized", Schema, max_length=200, required=True)
BOUND = validate.Range(min=-MAX_NUMBER, max=MAX_NUMBER)
COUNT = validate.Range(min=0, max=2**31 - 1)  # limits and quotas are INTEGER columns


class OptionIn(Schema):
    key = fields.String(required=True, validate=KEY)
    label = fields.Nested(ShortLocalized, required=True)
    limit = fields.Integer(load_default=None, allow_none=True, validate=COUNT)


class FieldIn(Schema):
    key = fields.String(required=True, validate=KEY)
    kind = fields.String(required=True, validate=validate.OneOf(FIELD_KINDS))
    label = fields.Nested(Localized, required=True)
    required = fields.Boolean(load_default=False)
    max_length = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=10000))
    min_value = fields.Float(load_default=None, allow_none=True, validate=BOUND)
    max_value = fields.Float(load_default=None, allow_none=True, validate=BOUND)
    options = fields.List(fields.Nested(OptionIn), load_default=list, validate=validate.Length(max=100))

    @validates_schema
    def _bounds_in_order(self, data, **_kwargs):
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            raise ValidationError("min_value is above max_value: no answer could fit", field_name="min_value")


class FormIn(Schema):
    form_fields = fields.List(
        fields.Nested(FieldIn), required=True, validate=validate.Length(max=100), data_key="fields"
    )


class CategoryIn(Schema):
    code = fields.String(required=True, validate=KEY)
    label = fields.Nested(ShortLocalized, required=True)
    quota = fields.Integer(load_default=None, allow_none=True, validate=COUNT)


class CategoriesIn(Schema):
    categories = fields.List(fields.Nested(CategoryIn), required=True, validate=validate.Length(max=50))


def _label(row) -> dict:
    return {"it": row.label_it, "en": row.label_en}


class OptionOut(Schema):
    key = fields.String()
    label = fields.Function(_label, metadata={"type": "object"})
    limit = fields.Integer(allow_none=True)
    taken = fields.Integer(load_default=None)
    left = fields.Function(lambda o: None if o.limit is None else max(o.limit - o.taken, 0))


class FieldOut(Schema):
    key = fields.String()
    kind = fields.String()
    label = fields.Function(_label, metadata={"type": "object"})
    required = fields.Boolean()
    max_length = fields.Integer(allow_none=True)
    min_value = fields.Float(allow_none=True)
    max_value = fields.Float(allow_none=True)
    options = fields.Function(lambda f: OptionOut(many=True).dump([o for o in f.options if not o.retired]))


class CategoryOut(Schema):
    code = fields.String()
    label = fields.Function(_label, metadata={"type": "object"})
    quota = fields.Integer(allow_none=True)
    taken = fields.Integer()
    left = fields.Function(lambda c: None if c.quota is None else max(c.quota - c.taken, 0))


class WorkshopOut(Schema):
    session_id = fields.Integer(attribute="id")
    title = fields.Function(lambda w: {"it": w.title_it, "en": w.title_en}, metadata={"type": "object"})
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    room = fields.String(allow_none=True)
    seat_limit = fields.Integer(allow_none=True)
    seats_left = fields.Function(lambda w: None if w.seat_limit is None else max(w.seat_limit - w.taken, 0))


class PrivacyOut(Schema):
    consent_required = fields.Boolean()
    policy_version = fields.String()
    policy_url = fields.String(allow_none=True)


class FormOut(Schema):
    form_fields = fields.List(fields.Nested(FieldOut), data_key="fields", attribute="fields")
    categories = fields.List(fields.Nested(CategoryOut))
    workshops = fields.List(fields.Nested(WorkshopOut))
    privacy = fields.Nested(PrivacyOut)


class PoliciesIn(Schema):
    promotion_mode = fields.String(
        validate=validate.OneOf(PROMOTION_MODES),
        metadata={"description": "confirm: promote at once; offer: offer with a deadline"},
    )
    offer_hours = fields.Integer(validate=validate.Range(min=1, max=24 * 30))
    retention_days = fields.Integer(validate=validate.Range(min=0, max=3650))
    attendance_threshold = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100))
    consent_required = fields.Boolean()
    privacy_policy_version = SingleLine(validate=validate.Length(min=1, max=40))
    privacy_policy_url = fields.String(
        allow_none=True,
        validate=[
            validate.Length(max=500),
            validate.URL(schemes={"http", "https"}, require_tld=False, error="must be an http:// or https:// address"),
        ],
        metadata={"description": "Shown as a link on the registration form: http or https only"},
    )


class PoliciesOut(PoliciesIn):
    pass


class SearchArgs(Schema):
    status = fields.String(validate=validate.OneOf(sorted(TRANSITIONS)))
    category = fields.String(validate=validate.Length(max=40))
    workshop = fields.Integer(validate=SESSION_ID)
    q = fields.String(validate=validate.Length(max=100))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class RegistrationPage(Schema):
    items = fields.List(fields.Nested(RegistrationOut))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


class BatchIn(Schema):
    registration_ids = fields.List(
        fields.String(validate=validate.Length(max=36)), required=True, validate=validate.Length(min=1, max=500)
    )


class RejectIn(BatchIn):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class ReasonIn(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class OutcomeOut(Schema):
    registration_id = fields.String()
    status = fields.String(allow_none=True)
    error = fields.String(allow_none=True)


class WaitingEntryOut(Schema):
    position = fields.Integer()
    registration_id = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    queued_at = fields.AwareDateTime()


class CategoryLineOut(Schema):
    code = fields.String()
    quota = fields.Integer(allow_none=True)
    taken = fields.Integer()
    waiting = fields.List(fields.Nested(WaitingEntryOut))


class WorkshopLineOut(Schema):
    session_id = fields.Integer()
    title = fields.String()
    seat_limit = fields.Integer(allow_none=True)
    taken = fields.Integer()
    waiting = fields.List(fields.Nested(WaitingEntryOut))


class WaitingListsOut(Schema):
    event = fields.List(fields.Nested(WaitingEntryOut))
    categories = fields.List(fields.Nested(CategoryLineOut))
    workshops = fields.List(fields.Nested(WorkshopLineOut))


class CheckInIn(Schema):
    code = fields.String(validate=validate.Length(max=200), metadata={"description": "The scanned QR payload"})
    registration_id = fields.String(validate=validate.Length(max=36))
    day = fields.Date(metadata={"description": "Event day (default: today in the event's time zone)"})
    session_id = fields.Integer(
        validate=SESSION_ID, metadata={"description": "Check in to one session instead of a day"}
    )

    @validates_schema
    def _one_person(self, data, **_kwargs):
        if ("code" in data) == ("registration_id" in data):
            raise ValidationError("give either code or registration_id", field_name="code")


class CheckInOut(Schema):
    result = fields.String(metadata={"description": "checked_in | already_checked_in"})
    message = fields.String()
    scope = fields.String()
    checked_in_at = fields.AwareDateTime()
    registration = fields.Dict()


class AttendanceRowOut(Schema):
    registration_id = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    minutes_attended = fields.Integer()
    total_minutes = fields.Integer()
    percent = fields.Float()
    certified_at = fields.AwareDateTime(allow_none=True)
