"""Notifications' JSON API: the delivery log (organisers) and the agenda
feed's management (whoever holds the feed token or the registration's
manage link)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction
from shared.web.fields import documented_errors

from ... import deliveries
from ...calendar import feed_tokens
from ...deliveries import DeliveryFilter
from ..context import config
from ..presenters import feed_out
from ..schemas import DeliveryOut, DeliveryQuery, FeedOut

UNKNOWN_FEED = "No live feed behind this token (never issued, rotated away or revoked)"
UNKNOWN_LINK = "No registration behind this manage link (or it was erased)"

blp = Blueprint("notifications", __name__, url_prefix="/api/v1", description="E-mail delivery log, agenda feeds")


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.arguments(DeliveryQuery(), location="query")
    @blp.response(200, DeliveryOut(many=True))
    @documented_errors(blp, 401, 422)
    def get(self, query):
        """The latest e-mails with their delivery status, newest first.
        Organisers see the mails of their organisations' events; filter by
        event, status (`failed` lists permanent failures), kind or person."""
        organiser = current_organiser()
        with transaction() as session:
            return deliveries.list_deliveries(session, filters=DeliveryFilter(**query), organiser=organiser)


@blp.route("/feeds/<token>/rotate")
class RotateFeed(MethodView):
    @blp.response(200, FeedOut)
    @documented_errors(blp, 404, e404=UNKNOWN_FEED)
    def post(self, token):
        """A new feed address; the old one stops working at once."""
        with transaction() as session:
            fresh = feed_tokens.rotate(feed_tokens.by_token(session, token, for_update=True))
            return feed_out(config(), fresh)


@blp.route("/feeds/<token>")
class FeedByToken(MethodView):
    @blp.response(204)
    @documented_errors(blp, 404, e404=UNKNOWN_FEED)
    def delete(self, token):
        """Revoke the feed: its address stops working."""
        with transaction() as session:
            feed_tokens.revoke(feed_tokens.by_token(session, token, for_update=True))


@blp.route("/registrations/<manage_token>/feed")
class FeedByManageLink(MethodView):
    @blp.response(200, FeedOut)
    @documented_errors(blp, 404, e404=UNKNOWN_LINK + "; or its feed was revoked")
    def get(self, manage_token):
        """The registration's feed links (issued on first use), authorised by
        the registration's secret manage link token."""
        with transaction() as session:
            registration_id = feed_tokens.registration_of_link(session, manage_token)
            feed = feed_tokens.ensure_feed(session, registration_id)
            if feed.token is None:
                raise feed_tokens.UnknownFeed("the feed was revoked: rotate it to get a new address")
            return feed_out(config(), feed.token)

    @blp.response(204)
    @documented_errors(blp, 404, e404=UNKNOWN_LINK)
    def delete(self, manage_token):
        """Revoke the registration's feed."""
        with transaction() as session:
            registration_id = feed_tokens.registration_of_link(session, manage_token)
            feed_tokens.revoke(feed_tokens.ensure_feed(session, registration_id))


@blp.route("/registrations/<manage_token>/feed/rotate")
class RotateFeedByManageLink(MethodView):
    @blp.response(200, FeedOut)
    @documented_errors(blp, 404, e404=UNKNOWN_LINK)
    def post(self, manage_token):
        """A new feed address (also after a revocation)."""
        with transaction() as session:
            registration_id = feed_tokens.registration_of_link(session, manage_token)
            fresh = feed_tokens.rotate(feed_tokens.ensure_feed(session, registration_id))
            return feed_out(config(), fresh)
