"""Notifications' JSON API: the delivery log."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.webapp import current_organiser, transaction

from . import services

blp = Blueprint("notifications", __name__, url_prefix="/api/v1", description="E-mail delivery log")


class DeliveryOut(Schema):
    id = fields.Integer()
    message_id = fields.String()
    recipient = fields.String()
    subject = fields.String()
    kind = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    registration_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.response(200, DeliveryOut(many=True))
    def get(self):
        """The latest e-mails with their delivery status (organisers only)."""
        current_organiser()
        with transaction() as session:
            return services.list_deliveries(session)
