"""Registration's JSON API."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.webapp import ctx, transaction

from . import services
from .schemas import IssuedOut, ListingOut, ParticipantIn, RegistrationOut

blp = Blueprint("registration", __name__, url_prefix="/api/v1", description="Registrations and waiting lists")


def registration_view(session, registration) -> dict:
    return {**{c: getattr(registration, c) for c in RegistrationOut().fields if hasattr(registration, c)},
            "waitlist_position": services.waitlist_position(session, registration)}


@blp.route("/events/<slug>")
class EventAvailability(MethodView):
    @blp.response(200, ListingOut)
    def get(self, slug):
        """An event as registration knows it, with the seats left."""
        with transaction() as session:
            return services.find_listing(session, slug)


@blp.route("/events/<slug>/registrations")
class Registrations(MethodView):
    @blp.arguments(ParticipantIn)
    @blp.response(201, IssuedOut)
    def post(self, participant, slug):
        """Register: confirmed while seats remain, waitlisted after."""
        base_url = ctx().settings.public_base_url
        with transaction() as session:
            issued = services.register(session, slug, participant, base_url=base_url)
            return {"registration": registration_view(session, issued.registration), "token": issued.token,
                    "manage_url": services.manage_url(base_url, issued.token)}


@blp.route("/self/<token>")
class OwnRegistration(MethodView):
    @blp.response(200, RegistrationOut)
    def get(self, token):
        """A registration seen through its secret link."""
        with transaction() as session:
            return registration_view(session, services.by_token(session, token))


@blp.route("/self/<token>/cancel")
class CancelOwnRegistration(MethodView):
    @blp.response(200, RegistrationOut)
    def post(self, token):
        """Cancel through the secret link; the seat goes to the first waitlisted person."""
        with transaction() as session:
            return registration_view(session, services.cancel(session, token))
