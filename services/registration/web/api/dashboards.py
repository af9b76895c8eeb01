"""Organisers' dashboards as JSON: an event's figures and an organisation's year."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction

from ... import dashboards, organiser
from ..schemas.dashboards import EventDashboardOut, OrganisationYearOut, YearArgs
from .errors import ORGANISER, organiser_errors, public_errors

blp = Blueprint(
    "registration_dashboards",
    __name__,
    url_prefix="/api/v1/organiser",
    description="Organisers: dashboards of an event and of an organisation's year",
)


@blp.route("/events/<slug>/dashboard")
class EventDashboard(MethodView):
    @blp.response(200, EventDashboardOut)
    @organiser_errors(blp)
    def get(self, slug):
        """Registrations by state against capacity, per day, by organisation and category; attendance per session."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return dashboards.event_dashboard(session, listing)


@blp.route("/organisations/<organisation_id>/dashboard")
class OrganisationDashboard(MethodView):
    @blp.arguments(YearArgs(), location="query")
    @blp.response(200, OrganisationYearOut)
    @public_errors(blp, *ORGANISER, 422, e404="No such organisation among the organiser's")
    def get(self, args, organisation_id):
        """The organisation's events of a year: registrations, attendance, certificates, participants' organisations."""
        with transaction() as session:
            return dashboards.organisation_year(session, current_organiser(), organisation_id, args["year"])
