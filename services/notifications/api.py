"""Notifications' JSON API: the delivery log (organisers) and the agenda
feed's management (whoever holds the feed token or the registration's
manage link)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared.web.context import current_organiser, transaction

from . import deliveries, feed_tokens
from .deliveries import DeliveryFilter
from .feed_http import notify_config
from .models import DELIVERY_STATES

blp = Blueprint("notifications", __name__, url_prefix="/api/v1", description="E-mail delivery log, agenda feeds")


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
    event_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
    next_attempt_at = fields.AwareDateTime()


class DeliveryQuery(Schema):
    event_id = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(DELIVERY_STATES))
    kind = fields.String(load_default=None)
    registration_id = fields.String(load_default=None)
    recipient = fields.String(load_default=None)
    before_id = fields.Integer(load_default=None, metadata={"description": "page: ids lower than this"})
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class FeedOut(Schema):
    url = fields.String(metadata={"description": "https URL to copy into a calendar"})
    webcal_url = fields.String(metadata={"description": "webcal:// URL (Apple Calendar, Outlook)"})
    google_url = fields.String(metadata={"description": "Google Calendar add-by-URL link"})
    token = fields.String()


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.arguments(DeliveryQuery(), location="query")
    @blp.response(200, DeliveryOut(many=True))
    def get(self, query):
        """The latest e-mails with their delivery status, newest first.
        Organisers see the mails of their organisations' events; filter by
        event, status (`failed` lists permanent failures), kind or person."""
        organiser = current_organiser()
        with transaction() as session:
            return deliveries.list_deliveries(session, filters=DeliveryFilter(**query), organiser=organiser)


def _links(token: str) -> dict:
    links = feed_tokens.feed_links(notify_config(), token)
    return {"url": links["https"], "webcal_url": links["webcal"], "google_url": links["google"], "token": token}


@blp.route("/feeds/<token>/rotate")
class RotateFeed(MethodView):
    @blp.response(200, FeedOut)
    def post(self, token):
        """A new feed address; the old one stops working at once."""
        with transaction() as session:
            feed = feed_tokens.rotate(feed_tokens.by_token(session, token, for_update=True))
            return _links(feed.token)


@blp.route("/feeds/<token>")
class FeedByToken(MethodView):
    @blp.response(204)
    def delete(self, token):
        """Revoke the feed: its address stops working."""
        with transaction() as session:
            feed_tokens.revoke(feed_tokens.by_token(session, token, for_update=True))


@blp.route("/registrations/<manage_token>/feed")
class FeedByManageLink(MethodView):
    @blp.response(200, FeedOut)
    def get(self, manage_token):
        """The registration's feed links (issued on first use), authorised by
        the registration's secret manage link token."""
        with transaction() as session:
            registration_id = feed_tokens.registration_of_link(session, manage_token)
            feed = feed_tokens.ensure_feed(session, registration_id)
            if feed.token is None:
                raise feed_tokens.UnknownFeed("the feed was revoked: rotate it to get a new address")
            return _links(feed.token)

    @blp.response(204)
    def delete(self, manage_token):
        """Revoke the registration's feed."""
        with transaction() as session:
            registration_id = feed_tokens.registration_of_link(session, manage_token)
            feed_tokens.revoke(feed_tokens.ensure_feed(session, registration_id))


@blp.route("/registrations/<manage_token>/feed/rotate")
class RotateFeedByManageLink(MethodView):
    @blp.response(200, FeedOut)
    def post(self, manage_token):
        """A new feed address (also after a revocation)."""
        with transaction() as session:
            registration_id = feed_tokens.registration_of_link(session, manage_token)
            feed = feed_tokens.rotate(feed_tokens.ensure_feed(session, registration_id))
            return _links(feed.token)
