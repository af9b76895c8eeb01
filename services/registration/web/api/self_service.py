"""The participant's secret link as an API: view, change answers and
workshop choices, accept an offer, cancel, download one's data, erase it,
and the check-in QR code. A missing or wrong token is always a 404."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import transaction

from ... import checkin, offers, privacy, registering, self_service
from ...links import by_token
from ..context import config
from ..presenters import own_view, registration_view
from ..schemas.public import ChangeIn, OwnRegistrationOut, RegistrationOut
from .errors import BODY, NO_LINK, public_errors

blp = Blueprint(
    "registration_self", __name__, url_prefix="/api/v1/self", description="A registration through its secret link"
)


def _link_errors(*statuses: int, **descriptions: str) -> Callable:
    """Every call through a link may find none behind it (404) or hit the per-client rate limit (429)."""
    return public_errors(blp, *statuses, 404, 429, e404=NO_LINK, **descriptions)


@blp.route("/<token>")
class OwnRegistration(MethodView):
    @blp.response(200, OwnRegistrationOut)
    @_link_errors()
    def get(self, token):
        """A registration seen through its secret link, with its place in line."""
        with transaction() as session:
            return own_view(session, by_token(session, token), secret=config().secret_key)

    @blp.arguments(ChangeIn())
    @blp.response(200, OwnRegistrationOut)
    @_link_errors(
        *BODY,
        409,
        e409="The registration cannot be changed in its state, or a chosen option or workshop is full (see message)",
    )
    def patch(self, changes, token):
        """Change personal details, answers (merged; null clears one) or workshop choices."""
        with transaction() as session:
            changed = self_service.change(session, token, changes)
            return own_view(session, changed, secret=config().secret_key)


@blp.route("/<token>/cancel")
class CancelOwnRegistration(MethodView):
    @blp.response(200, RegistrationOut)
    @_link_errors(409, e409="The registration is already cancelled, rejected or expired")
    def post(self, token):
        """Cancel; the seat goes to the first waitlisted person."""
        with transaction() as session:
            return registration_view(session, registering.cancel(session, token, base_url=config().public_base_url))


@blp.route("/<token>/accept")
class AcceptOffer(MethodView):
    @blp.response(200, RegistrationOut)
    @_link_errors(409, e409="No open offer to accept: none was made, or it has expired")
    def post(self, token):
        """Accept an offered seat before its deadline."""
        with transaction() as session:
            return registration_view(session, offers.accept(session, token))


@blp.route("/<token>/data")
class OwnData(MethodView):
    @blp.response(200, description="Everything kept about this registration, as a JSON download")
    @_link_errors()
    def get(self, token):
        """Download your own data (GDPR art. 15 and 20)."""
        with transaction() as session:
            data = privacy.personal_data(session, by_token(session, token))
        return Response(
            json.dumps(data, ensure_ascii=False, indent=2),
            mimetype="application/json",
            headers={"Content-Disposition": 'attachment; filename="my-registration.json"'},
        )


@blp.route("/<token>/erase")
class EraseOwnData(MethodView):
    @blp.response(204)
    @_link_errors()
    def post(self, token):
        """Erase this registration now: it is cancelled and its personal data removed; the link stops working."""
        with transaction() as session:
            registration = by_token(session, token, for_update=True)
            privacy.erase(session, registration, reason="request", base_url=config().public_base_url)


@blp.route("/<token>/qr.svg")
class CheckInCode(MethodView):
    @blp.response(200, description="The check-in QR code (image/svg+xml)")
    @_link_errors()
    def get(self, token):
        """The QR code to show at check-in."""
        with transaction() as session:
            registration = by_token(session, token)
        code = checkin.checkin_code(config().secret_key, registration.id)
        return Response(
            checkin.qr_svg(code), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"}
        )
