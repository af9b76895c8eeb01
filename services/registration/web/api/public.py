"""Registration's public JSON API: an event's availability and form,
registering, and asking for one's link again. Rate-limited per client."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import transaction

from ... import registering, resend
from ..context import config
from ..presenters import LINK_SENT, form_view, registration_view
from ..schemas.organiser import FormOut
from ..schemas.public import IssuedOut, LinkRequestIn, ListingOut, MessageOut, ParticipantIn
from .errors import BODY, NO_EVENT, public_errors

blp = Blueprint("registration", __name__, url_prefix="/api/v1", description="Registrations and waiting lists")
links_blp = Blueprint("registration_links", __name__, url_prefix="/api/v1", description="Send me my link again")


@blp.route("/events/<slug>")
class EventAvailability(MethodView):
    @blp.response(200, ListingOut)
    @public_errors(blp, 404, e404=NO_EVENT)
    def get(self, slug):
        """An event as registration knows it, with the seats left."""
        with transaction() as session:
            return registering.find_listing(session, slug)


@blp.route("/events/<slug>/form")
class EventForm(MethodView):
    @blp.response(200, FormOut)
    @public_errors(blp, 404, e404=NO_EVENT)
    def get(self, slug):
        """The registration form: custom fields, categories, workshops, privacy policy."""
        with transaction() as session:
            listing = registering.find_listing(session, slug)
            return form_view(session, listing)


@blp.route("/events/<slug>/registrations")
class Registrations(MethodView):
    @blp.arguments(ParticipantIn())
    @blp.response(201, IssuedOut)
    @public_errors(
        blp,
        *BODY,
        404,
        409,
        429,
        e404=NO_EVENT,
        e409="Registration is closed, the e-mail is already registered, or a chosen option is full (see message)",
    )
    def post(self, participant, slug):
        """Register: confirmed while seats remain, waitlisted after (pending when the event needs approval)."""
        base_url = config().public_base_url
        with transaction() as session:
            issued = registering.register(session, slug, participant, base_url=base_url)
            view = registration_view(
                session, issued.registration, position=issued.position, workshops_chosen=bool(participant["workshops"])
            )
            return {
                "registration": view,
                "token": issued.token,
                "manage_url": registering.manage_url(base_url, issued.token),
            }


@links_blp.route("/events/<slug>/link-requests")
class LinkRequests(MethodView):
    @links_blp.arguments(LinkRequestIn())
    @links_blp.response(202, MessageOut)
    @public_errors(links_blp, *BODY, 404, 429, e404=NO_EVENT)
    def post(self, body, slug):
        """Send me my link again: a fresh link goes to the address by e-mail. The
        answer is the same whether or not the address is registered."""
        with transaction() as session:
            listing = registering.find_listing(session, slug)
            resend.request_link(session, listing, body["email"], base_url=config().public_base_url)
        return {"message": LINK_SENT}
