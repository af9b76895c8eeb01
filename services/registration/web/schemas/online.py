"""Schemas of the organisers' online-attendance API: report and registrant
list uploads (multipart), the preview of an import, its confirmation."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from .text import SingleLine

TARGET = validate.Regexp(r"^(session:\d{1,10}|day:\d{4}-\d{2}-\d{2})$", error="session:<id> or day:YYYY-MM-DD")


class ReportFileIn(Schema):
    file = Upload(required=True, metadata={"description": "The platform's attendance report (CSV, at most 1000 KiB)"})


class TargetIn(Schema):
    target = SingleLine(
        required=True,
        validate=TARGET,
        metadata={"description": "`session:<id>` of the released programme, or `day:YYYY-MM-DD` without a programme"},
    )


class RegistrantFileIn(Schema):
    file = Upload(
        required=True,
        metadata={"description": "The platform's registrant list: Zoom's registration report, or `email,join_url`"},
    )


class ConfirmIn(Schema):
    mapping = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^\d{1,7}$", error="a row number")),
        values=fields.String(allow_none=True, validate=validate.Length(max=36)),
        load_default=dict,
        validate=validate.Length(max=5000),
        metadata={
            "description": "Row of the report -> registration id (for proposals and unmatched rows, or to "
            "override an e-mail match), or null to skip the row"
        },
    )


class ImportRowOut(Schema):
    row = fields.Integer()
    name = fields.String()
    email = fields.String()
    minutes = fields.Integer(metadata={"description": "Minutes connected within the session's scheduled time"})
    intervals = fields.List(fields.List(fields.String()))
    registration_id = fields.String(allow_none=True, metadata={"description": "Matched by e-mail address"})
    registration_name = fields.String(allow_none=True)
    proposals = fields.List(
        fields.Dict(), metadata={"description": "Registrations of the same name: {id, first_name, last_name, email}"}
    )


class ImportOut(Schema):
    id = fields.Integer()
    target = fields.String(attribute="scope")
    status = fields.String(metadata={"description": "preview | confirmed | replaced"})
    format = fields.String(attribute="report_format", metadata={"description": "zoom | teams | webex | meet | plain"})
    filename = fields.String()
    unchanged = fields.Boolean(metadata={"description": "This very file was already imported: nothing changed"})
    matched = fields.Integer()
    rows = fields.List(fields.Nested(ImportRowOut), metadata={"description": "Empty once confirmed"})
    created_at = fields.AwareDateTime()
    confirmed_at = fields.AwareDateTime(allow_none=True)


class JoinLinksOut(Schema):
    changed = fields.Integer()
    unchanged = fields.Integer()
    removed = fields.Integer()
    unknown_addresses = fields.List(
        fields.String(),
        attribute="unknown",
        data_key="unknown",
        metadata={"description": "Addresses of nobody registered for the event"},
    )
