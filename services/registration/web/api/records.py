"""The training record: a person asks for the link by e-mail (the same 202
whether the address is known or not) and reads the record behind it;
organisers read the summary of their organisation."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.errors import NotFound
from shared.web.context import current_organiser, transaction

from ... import organiser, training_records
from ..context import config
from ..schemas.surveys import RecordLinkIn, RecordOut, TrainingArgs, TrainingOut
from ..survey_views import record_view, training_view
from .errors import BODY, ORGANISER, public_errors

blp = Blueprint("registration_records", __name__, url_prefix="/api/v1/records", description="Training records")
links_blp = Blueprint(
    "registration_record_links", __name__, url_prefix="/api/v1/records", description="Training record links"
)
organisers_blp = Blueprint(
    "registration_training",
    __name__,
    url_prefix="/api/v1/organiser/organisations/<organisation_id>/training",
    description="Organisers: training per organisation",
)
RECORD_LINK_SENT = "If this address has registrations, a link to its training record is on its way to it."
NO_RECORD = "No training record behind this link: unknown, malformed or expired"


@links_blp.route("/link")
class RecordLinkRequest(MethodView):
    @links_blp.arguments(RecordLinkIn())
    @links_blp.response(202)
    @public_errors(links_blp, *BODY, 429)
    def post(self, body):
        """Mail a link to the training record of this address (the answer never says whether it is known)."""
        with transaction() as session:
            training_records.request_link(session, body["email"], body["locale"], base_url=config().public_base_url)
        return {"message": RECORD_LINK_SENT}


@blp.route("/<token>")
class Record(MethodView):
    @blp.response(200, RecordOut)
    @public_errors(blp, 404, 429, e404=NO_RECORD)
    def get(self, token):
        """Every event attended, hours per year, credits by type, certificates."""
        with transaction() as session:
            email = training_records.email_of(session, token)
            return record_view(training_records.record_of(session, email))


@organisers_blp.route("")
class OrganisationTraining(MethodView):
    @organisers_blp.arguments(TrainingArgs(), location="query")
    @organisers_blp.response(200, TrainingOut)
    @public_errors(organisers_blp, *ORGANISER, 422, e404="No such organisation among the organiser's")
    def get(self, args, organisation_id):
        """People trained, hours and credits per year, by the participants' organisation or as one line."""
        staff = current_organiser()
        staff.require_role([organisation_id], *organiser.MANAGE, not_found=NotFound("no such organisation"))
        with transaction() as session:
            lines = training_records.organisation_summary(session, organisation_id, args["group"])
        return training_view(organisation_id, args["group"], lines)
