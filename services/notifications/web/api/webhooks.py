"""The webhook API: an organisation's owners and organisers manage its
endpoints and read their delivery log (docs/webhooks.md)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction
from shared.web.fields import documented_errors

from ...webhooks import endpoints
from ...webhooks.endpoints import EndpointChanges
from ..context import config
from ..webhook_schemas import (
    EndpointChangeIn,
    EndpointIn,
    EndpointOut,
    EndpointWithSecretOut,
    WebhookDeliveryOut,
    WebhookDeliveryQuery,
)

NO_ORGANISATION = "No such organisation among yours (or no webhook with this id in it)"

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/organisations/<organisation_id>/webhooks",
    description="Signed webhooks to outside systems",
)


@blp.route("")
class Webhooks(MethodView):
    @blp.response(200, EndpointOut(many=True))
    @documented_errors(blp, 401, 403, 404, e404=NO_ORGANISATION)
    def get(self, organisation_id):
        """The organisation's endpoints (without their secrets)."""
        organiser = current_organiser()
        with transaction() as session:
            return endpoints.list_endpoints(session, organiser, organisation_id)

    @blp.arguments(EndpointIn())
    @blp.response(201, EndpointWithSecretOut)
    @documented_errors(blp, 400, 401, 403, 404, 422, e404=NO_ORGANISATION)
    def post(self, data, organisation_id):
        """A new endpoint; the answer carries its secret, shown only this once."""
        organiser = current_organiser()
        with transaction() as session:
            return endpoints.create_endpoint(
                session, organiser, organisation_id, **data, allow_http=config().webhooks_allow_http
            )


@blp.route("/<webhook_id>")
class Webhook(MethodView):
    @blp.response(200, EndpointOut)
    @documented_errors(blp, 401, 403, 404, e404=NO_ORGANISATION)
    def get(self, organisation_id, webhook_id):
        organiser = current_organiser()
        with transaction() as session:
            return endpoints.get_endpoint(session, organiser, organisation_id, webhook_id)

    @blp.arguments(EndpointChangeIn())
    @blp.response(200, EndpointOut)
    @documented_errors(blp, 400, 401, 403, 404, 422, e404=NO_ORGANISATION)
    def patch(self, data, organisation_id, webhook_id):
        """Change the URL, types, description or contact; enable or disable."""
        organiser = current_organiser()
        with transaction() as session:
            return endpoints.change_endpoint(
                session,
                organiser,
                organisation_id,
                webhook_id,
                EndpointChanges(**data),
                allow_http=config().webhooks_allow_http,
            )

    @blp.response(204)
    @documented_errors(blp, 401, 403, 404, e404=NO_ORGANISATION)
    def delete(self, organisation_id, webhook_id):
        """Delete the endpoint and its delivery log; nothing more is sent to it."""
        organiser = current_organiser()
        with transaction() as session:
            endpoints.delete_endpoint(session, organiser, organisation_id, webhook_id)


@blp.route("/<webhook_id>/rotate-secret")
class RotateSecret(MethodView):
    @blp.response(200, EndpointWithSecretOut)
    @documented_errors(blp, 401, 403, 404, e404=NO_ORGANISATION)
    def post(self, organisation_id, webhook_id):
        """A new secret, shown only now; the old one stops signing at once."""
        organiser = current_organiser()
        with transaction() as session:
            return endpoints.rotate_secret(session, organiser, organisation_id, webhook_id)


@blp.route("/<webhook_id>/ping")
class Ping(MethodView):
    @blp.response(202, WebhookDeliveryOut)
    @documented_errors(blp, 401, 403, 404, e404=NO_ORGANISATION)
    def post(self, organisation_id, webhook_id):
        """Queue a signed `webhook.ping` (tried once, also when disabled); its outcome shows in the log."""
        organiser = current_organiser()
        with transaction() as session:
            return endpoints.queue_ping(session, organiser, organisation_id, webhook_id)


@blp.route("/<webhook_id>/deliveries")
class Deliveries(MethodView):
    @blp.arguments(WebhookDeliveryQuery(), location="query")
    @blp.response(200, WebhookDeliveryOut(many=True))
    @documented_errors(blp, 401, 403, 404, 422, e404=NO_ORGANISATION)
    def get(self, query, organisation_id, webhook_id):
        """The endpoint's deliveries, newest first: status, attempts, the last answer, the next attempt."""
        organiser = current_organiser()
        with transaction() as session:
            return endpoints.deliveries_of(session, organiser, organisation_id, webhook_id, **query)
