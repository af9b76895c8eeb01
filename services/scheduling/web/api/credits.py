"""The credit types of an organisation: load schema -> one use case -> dump
schema. Owners and organisers of the organisation (and administrators)
manage them; to anyone else the organisation answers 404."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction
from shared.web.fields import documented_errors

from ... import credits
from ..context import config
from ..schemas.credits import CreditTypeIn, CreditTypeOut, CreditTypePatch, credit_type_row

blp = Blueprint(
    "credit_types",
    __name__,
    url_prefix="/api/v1/organisations/<org_id>/credit-types",
    description="Credit types an organisation grants for its events and sessions (e.g. CFP for auditors)",
)

NOT_YOURS = "No such organisation among those you own or organise (or no such credit type in it)"


@blp.route("")
class CreditTypes(MethodView):
    @blp.response(200, CreditTypeOut(many=True))
    @documented_errors(blp, 401, 404, e404=NOT_YOURS)
    def get(self, org_id):
        """The organisation's credit types, by Italian name (`org_id`: its id or slug)."""
        organiser = current_organiser()
        with transaction() as session:
            return credits.list_credit_types(session, organiser, org_id)

    @blp.arguments(CreditTypeIn())
    @blp.response(201, CreditTypeOut)
    @documented_errors(blp, 400, 401, 404, 409, 422, e404=NOT_YOURS, e409="A credit type of that name exists")
    def post(self, data, org_id):
        """Define a credit type: its name in Italian (and English) and its unit."""
        organiser = current_organiser()
        with transaction() as session:
            return credits.create_credit_type(session, organiser, org_id, credit_type_row(data))


@blp.route("/<type_id>")
class CreditTypeDetail(MethodView):
    @blp.arguments(CreditTypePatch())
    @blp.response(200, CreditTypeOut)
    @documented_errors(blp, 400, 401, 404, 409, 422, e404=NOT_YOURS, e409="A credit type of that name exists")
    def patch(self, data, org_id, type_id):
        """Rename it or change its unit; published events granting it send `event.updated`."""
        organiser = current_organiser()
        with transaction() as session:
            return credits.update_credit_type(
                session, organiser, org_id, type_id, credit_type_row(data), config().public_base_url
            )

    @blp.response(204)
    @documented_errors(blp, 401, 404, 409, e404=NOT_YOURS, e409="An event or a session grants it")
    def delete(self, org_id, type_id):
        """Delete it, while no event or session grants it."""
        organiser = current_organiser()
        with transaction() as session:
            credits.delete_credit_type(session, organiser, org_id, type_id)
