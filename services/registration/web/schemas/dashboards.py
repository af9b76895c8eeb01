"""The dashboards as JSON: the same numbers the pages draw, dumped straight
from the dataclasses of dashboards.py."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields, validate

YEARS = validate.Range(min=2000, max=2100)


def _label(item) -> dict:
    return {"it": item.label_it, "en": item.label_en}


class DashboardDayOut(Schema):
    day = fields.Date()
    registrations = fields.Integer()
    cumulative = fields.Integer()


class DashboardOrganisationOut(Schema):
    name = fields.String(attribute="label_it")
    count = fields.Integer()


class DashboardCategoryOut(Schema):
    label = fields.Function(_label)
    confirmed = fields.Integer(attribute="count")
    waitlisted = fields.Integer(attribute="waiting")
    quota = fields.Integer(allow_none=True)


class DashboardAttendanceOut(Schema):
    scope = fields.String()
    label = fields.Function(_label)
    starts_at = fields.AwareDateTime(allow_none=True)
    in_person = fields.Integer()
    online = fields.Integer()
    people = fields.Integer(metadata={"description": "distinct people: at the desk, online or both"})


class EventDashboardOut(Schema):
    slug = fields.String(attribute="listing.slug")
    capacity = fields.Integer(attribute="listing.capacity", allow_none=True)
    total = fields.Integer(metadata={"description": "registrations not erased, in any state"})
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    confirmed = fields.Integer()
    waitlisted = fields.Function(lambda d: d.by_status.get("waitlisted", 0))
    pending = fields.Function(lambda d: d.by_status.get("pending", 0))
    checked_in = fields.Integer(metadata={"description": "distinct people checked in at least once"})
    certificates = fields.Integer(metadata={"description": "registrations holding a live certificate"})
    days = fields.List(fields.Nested(DashboardDayOut), metadata={"description": "registrations received per local day"})
    organisations = fields.List(fields.Nested(DashboardOrganisationOut), metadata={"description": "top 10, confirmed"})
    other_organisations = fields.Integer(attribute="others")
    categories = fields.List(fields.Nested(DashboardCategoryOut))
    attendance = fields.List(fields.Nested(DashboardAttendanceOut))


class YearArgs(Schema):
    year = fields.Integer(load_default=lambda: dt.date.today().year, validate=YEARS)


class DashboardEventYearOut(Schema):
    slug = fields.String()
    title = fields.Function(lambda e: {"it": e.title_it, "en": e.title_en})
    starts_at = fields.AwareDateTime()
    capacity = fields.Integer(allow_none=True)
    registrations = fields.Integer()
    confirmed = fields.Integer()
    checked_in = fields.Integer()
    certified = fields.Integer()


class OrganisationYearOut(Schema):
    organisation_id = fields.String()
    year = fields.Integer()
    years = fields.List(fields.Integer(), metadata={"description": "years with events of the organisation"})
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())
    events = fields.List(fields.Nested(DashboardEventYearOut))
    organisations = fields.List(fields.Nested(DashboardOrganisationOut))
    other_organisations = fields.Integer(attribute="others")
