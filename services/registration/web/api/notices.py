"""Organisers publish their event's privacy notice: each publication is a
new version (the registration form links it, new consents name it); the
earlier versions stay readable and unchanged."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction

from ... import organiser, privacy_notices
from ..context import config
from ..presenters import notices_view
from ..schemas.notices import NoticeIn, NoticeOut, NoticesOut
from .errors import BODY, organiser_errors

blp = Blueprint(
    "registration_notices",
    __name__,
    url_prefix="/api/v1/organiser/events/<slug>",
    description="Organisers: the event's versioned privacy notice",
)


@blp.route("/privacy-notices")
class Notices(MethodView):
    @blp.response(200, NoticesOut)
    @organiser_errors(blp)
    def get(self, slug):
        """Every version, newest first; version 1 is the operator's default notice when it was shown."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return notices_view(config().public_base_url, listing, privacy_notices.versions_of(session, listing))

    @blp.arguments(NoticeIn())
    @blp.response(201, NoticeOut)
    @organiser_errors(blp, *BODY)
    def post(self, body, slug):
        """Publish a new version (the next number); from now on the form links it and consents name it."""
        staff = current_organiser()
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            notice = privacy_notices.publish(
                session, listing, text_it=body["text_it"], text_en=body["text_en"], by=staff.account_id
            )
            return notices_view(config().public_base_url, listing, [notice])["versions"][0]
