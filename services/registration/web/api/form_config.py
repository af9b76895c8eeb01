"""Organisers configure registration per event: the form's custom fields,
the categories with their quotas, and the policies (promotion, offers,
consent, retention, attendance threshold)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction

from ... import form_admin, organiser, policies
from ..context import config
from ..presenters import form_view
from ..schemas.organiser import CategoriesIn, FormIn, FormOut, PoliciesIn, PoliciesOut
from .errors import BODY, organiser_errors

blp = Blueprint(
    "registration_config",
    __name__,
    url_prefix="/api/v1/organiser/events/<slug>",
    description="Organisers: form, categories and policies of an event",
)


@blp.route("/form")
class Form(MethodView):
    @blp.response(200, FormOut)
    @organiser_errors(blp)
    def get(self, slug):
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return form_view(session, listing)

    @blp.arguments(FormIn())
    @blp.response(200, FormOut)
    @organiser_errors(blp, *BODY, 409, e409="A field's key is already that of a field of another kind")
    def put(self, body, slug):
        """Replace the custom fields (by key); a field left out is retired, its old answers kept."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug, for_update=True)
            form_admin.define_fields(session, listing, body["form_fields"])
            return form_view(session, listing)


@blp.route("/categories")
class Categories(MethodView):
    @blp.arguments(CategoriesIn())
    @blp.response(200, FormOut)
    @organiser_errors(blp, *BODY, 409, e409="A category left out has registrations and cannot be removed")
    def put(self, body, slug):
        """Replace the categories (by code), with optional seat quotas inside the capacity."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)  # locked after the seat gate
            form_admin.define_categories(session, listing, body["categories"], base_url=config().public_base_url)
            return form_view(session, listing)


@blp.route("/policies")
class Policies(MethodView):
    @blp.response(200, PoliciesOut)
    @organiser_errors(blp)
    def get(self, slug):
        with transaction() as session:
            return policies.policies_of(organiser.listing_for(session, current_organiser(), slug))

    @blp.arguments(PoliciesIn())
    @blp.response(200, PoliciesOut)
    @organiser_errors(
        blp, *BODY, 409, e409="The event has its own privacy notice: its version changes only by a new version"
    )
    def patch(self, body, slug):
        """Change some policies; the others stay. The privacy policy's version and
        address only while the event has no privacy notice of its own."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug, for_update=True)
            return policies.update_policies(session, listing, body)
