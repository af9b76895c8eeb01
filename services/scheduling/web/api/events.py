"""Scheduling's JSON API for organisers' logins and events: load schema ->
one use case -> dump schema."""

from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.error_handler import ErrorSchema

from shared.web.context import current_organiser, transaction
from shared.web.fields import documented_errors

from ... import accounts, events
from ..context import config
from ..login_throttle import throttled_login
from ..presenters import token_view
from ..schemas.events import (
    EventIn,
    EventOut,
    EventPageOut,
    EventPatch,
    EventQuery,
    LoginIn,
    OrganiserEventOut,
    TokenOut,
    event_row,
)

blp = Blueprint("scheduling", __name__, url_prefix="/api/v1", description="Organisers and events")


@blp.route("/auth/token")
class Login(MethodView):
    @blp.arguments(LoginIn())
    @blp.response(200, TokenOut)
    @blp.alt_response(401, schema=ErrorSchema, description="Wrong e-mail or password")
    @blp.alt_response(429, schema=ErrorSchema, description="Too many failed logins: wait Retry-After seconds")
    @documented_errors(blp, 400, 422, 503, e503="Logins are not possible yet: the token signing key is missing")
    def post(self, data):
        """Log in as an organiser and get a bearer token. Failed logins are
        limited per account and per client address (LOGIN_*_LIMIT)."""

        def attempt() -> str:
            with transaction() as session:
                return accounts.log_in(session, data["email"], data["password"], private_key=config().private_key)

        return token_view(throttled_login(attempt, data["email"]))


@blp.route("/events")
class Events(MethodView):
    @blp.arguments(EventQuery(), location="query")
    @blp.response(200, EventPageOut)
    @documented_errors(blp, 422)
    def get(self, query):
        """Published and cancelled events, soonest first, paginated; filter by
        type, organisation (id or slug) and days (`from`, `to`, Europe/Rome)."""
        with transaction() as session:
            items, total = events.list_events(
                session,
                event_type=query["type"],
                page=query["page"],
                page_size=query["page_size"],
                **_date_range(query),
            )
        return {"items": items, "total": total, "page": query["page"], "page_size": query["page_size"]}

    @blp.arguments(EventIn())
    @blp.response(201, OrganiserEventOut)
    @documented_errors(blp, 400, 401, 403, 422, e403="No role in that organisation allows creating events")
    def post(self, data):
        """Create a draft event (organisers only)."""
        organiser = current_organiser()
        with transaction() as session:
            return events.create_event(session, organiser, event_row(data))


@blp.route("/events/<slug>")
class EventDetail(MethodView):
    @blp.response(
        200,
        OrganiserEventOut,
        description="The event; `online` and `join_link_lead_minutes` only for its organisers",
    )
    @documented_errors(blp, 401, 404, e401="A bearer token was sent and it is not valid")
    def get(self, slug):
        """One event; drafts only for its organisers. The event's organisers
        get it with the online room; everyone else never sees more than the
        delivery mode and the platform (the public shape, EventOut)."""
        organiser = _optional_organiser()
        with transaction() as session:
            event = events.get_event(session, slug, organiser)
            shape = OrganiserEventOut() if organiser is not None and events.organises(organiser, event) else EventOut()
            return jsonify(shape.dump(event))

    @blp.arguments(EventPatch())
    @blp.response(200, OrganiserEventOut)
    @documented_errors(blp, 400, 401, 403, 404, 409, 422, e409="The event is cancelled")
    def patch(self, data, slug):
        """Change an event (any fields of EventIn; nested texts and the online
        room are given whole). A published event tells the other services
        (`event.updated`); its sessions delivered as the event follow it."""
        organiser = current_organiser()
        with transaction() as session:
            return events.update_event(session, organiser, slug, event_row(data), config().public_base_url)


@blp.route("/events/<slug>/publish")
class PublishEvent(MethodView):
    @blp.response(200, OrganiserEventOut)
    @documented_errors(blp, 401, 403, 404, 409, e409="The event is already published, or cancelled")
    def post(self, slug):
        """Publish a draft: registration opens when `event.published` arrives."""
        organiser = current_organiser()
        with transaction() as session:
            return events.publish_event(session, organiser, slug, config().public_base_url)


@blp.route("/events/<slug>/cancel")
class CancelEvent(MethodView):
    @blp.response(200, OrganiserEventOut)
    @documented_errors(blp, 401, 403, 404, 409, e409="The event is already cancelled")
    def post(self, slug):
        """Cancel an event; participants are told through `event.cancelled`."""
        organiser = current_organiser()
        with transaction() as session:
            return events.cancel_event(session, organiser, slug, config().public_base_url)


def _date_range(query: dict) -> dict:
    """Whole days in Europe/Rome, as UTC bounds; the organisation as given."""
    return {"organisation": query["organisation"], **events.days_between(query["date_from"], query["date_to"])}


def _optional_organiser():
    return current_organiser() if request.headers.get("Authorization") else None
