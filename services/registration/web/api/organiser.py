"""Organisers' API (bearer token from scheduling): registrations listed,
filtered and searched; approval; cancellation and erasure; waiting lists;
CSV and XLSX exports."""

from __future__ import annotations

from flask import Response, send_file, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction

from ... import approval, exports, organiser, privacy, registering
from ..context import config
from ..presenters import XLSX, attachment, registration_view
from ..schemas.organiser import BatchIn, OutcomeOut, ReasonIn, RegistrationPage, RejectIn, SearchArgs, WaitingListsOut
from ..schemas.public import RegistrationOut
from .errors import BODY, NO_REGISTRATION, organiser_errors

blp = Blueprint(
    "registration_organiser",
    __name__,
    url_prefix="/api/v1/organiser/events/<slug>",
    description="Organisers: registrations, approval, waiting lists, exports",
)


@blp.route("/registrations")
class RegistrationList(MethodView):
    @blp.arguments(SearchArgs(), location="query")
    @blp.response(200, RegistrationPage)
    @organiser_errors(blp, 422)
    def get(self, args, slug):
        """Registrations by status, category, workshop, or a search in names, e-mail and organisation."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            items, total, positions, category_positions = organiser.search_page(session, listing, **args)
            return {
                "items": [
                    registration_view(
                        session, r, position=positions.get(r.id), category_position=category_positions.get(r.id)
                    )
                    for r in items
                ],
                "total": total,
                "page": args["page"],
                "page_size": args["page_size"],
            }


@blp.route("/registrations/<registration_id>")
class OneRegistration(MethodView):
    @blp.response(200, RegistrationOut)
    @organiser_errors(blp, e404=NO_REGISTRATION)
    def get(self, slug, registration_id):
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return registration_view(session, organiser.registration_of(session, listing, registration_id))

    @blp.response(204)
    @organiser_errors(blp, e404=NO_REGISTRATION)
    def delete(self, slug, registration_id):
        """Erase the registration's personal data now (it is cancelled first if still active)."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            registration = organiser.registration_of(session, listing, registration_id, for_update=True)
            privacy.erase(session, registration, reason="organiser", base_url=config().public_base_url)


@blp.route("/registrations/<registration_id>/cancel")
class CancelRegistration(MethodView):
    @blp.arguments(ReasonIn())
    @blp.response(200, RegistrationOut)
    @organiser_errors(
        blp, *BODY, 409, e404=NO_REGISTRATION, e409="The registration is already cancelled, rejected or expired"
    )
    def post(self, body, slug, registration_id):
        """Cancel a registration; the reason reaches the participant."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            registration = organiser.registration_of(session, listing, registration_id, for_update=True)
            registering.cancel_registration(
                session, registration, base_url=config().public_base_url, reason=body["reason"]
            )
            return registration_view(session, registration)


@blp.route("/registrations/approve")
class Approve(MethodView):
    @blp.arguments(BatchIn())
    @blp.response(200, OutcomeOut(many=True))
    @organiser_errors(blp, *BODY)
    def post(self, body, slug):
        """Approve pending registrations, one or many: confirmed, or waitlisted when the event is full."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return approval.approve(session, listing, body["registration_ids"])


@blp.route("/registrations/reject")
class Reject(MethodView):
    @blp.arguments(RejectIn())
    @blp.response(200, OutcomeOut(many=True))
    @organiser_errors(blp, *BODY)
    def post(self, body, slug):
        """Reject pending registrations, one or many, with a reason for the participants."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            ids, reason = body["registration_ids"], body["reason"]
            return approval.reject(session, listing, ids, reason, base_url=config().public_base_url)


@blp.route("/waitlists")
class WaitingLists(MethodView):
    @blp.response(200, WaitingListsOut)
    @organiser_errors(blp)
    def get(self, slug):
        """The waiting lists in order: the event's, each category's, each workshop's."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return organiser.waiting_lists(session, listing)


@blp.route("/export.csv")
class ExportCsv(MethodView):
    @blp.response(200, description="Registrations with custom-field answers (text/csv), streamed")
    @organiser_errors(blp)
    def get(self, slug):
        with transaction() as session:
            organiser.listing_for(session, current_organiser(), slug)  # refusals before the first byte

        def pieces():
            with transaction() as session:
                yield from exports.csv_of(session, organiser.listing_for(session, current_organiser(), slug))

        return Response(
            stream_with_context(pieces()), mimetype="text/csv", headers=attachment(f"{slug}-iscrizioni.csv")
        )


@blp.route("/export.xlsx")
class ExportXlsx(MethodView):
    @blp.response(200, description="Registrations with custom-field answers (XLSX)")
    @organiser_errors(blp)
    def get(self, slug):
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            workbook = exports.xlsx_file(session, listing)
        response = send_file(workbook, mimetype=XLSX)
        response.headers.update(attachment(f"{slug}-iscrizioni.xlsx"))
        return response
