"""Check-in desks (roles owner, organiser or checkin) and attendance."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction

from ... import checkin, organiser
from ..context import config
from ..presenters import attendance_rows, checkin_view
from ..schemas.organiser import AttendanceRowOut, CheckInIn, CheckInOut
from .errors import BODY, NOT_STAFF, organiser_errors

blp = Blueprint(
    "registration_checkin",
    __name__,
    url_prefix="/api/v1/organiser/events/<slug>",
    description="Check-in and attendance",
)


@blp.route("/checkins")
class CheckIns(MethodView):
    @blp.arguments(CheckInIn())
    @blp.response(201, CheckInOut)
    @blp.alt_response(200, schema=CheckInOut, description="Already checked in (nothing changed)")
    @organiser_errors(
        blp,
        *BODY,
        409,
        e403=NOT_STAFF,
        e404="No such event among the organiser's, no registration of that code or id, or no such session",
        e409="The registration cannot check in (not confirmed), or is not signed up for that workshop",
    )
    def post(self, body, slug):
        """Check a person in for a day (default today) or a session, by QR code or registration id."""
        staff = current_organiser()
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug, organiser.CHECK_IN)
            result = checkin.check_in(
                session,
                listing,
                secret=config().secret_key,
                code=body.get("code"),
                registration_id=body.get("registration_id"),
                day=body.get("day"),
                session_id=body.get("session_id"),
                by=staff.account_id,
            )
            answer = checkin_view(session, result)
        return answer, 200 if result.already else 201


@blp.route("/attendance")
class Attendance(MethodView):
    @blp.response(200, AttendanceRowOut(many=True))
    @organiser_errors(blp)
    def get(self, slug):
        """Minutes attended by each confirmed participant against the course total."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return attendance_rows(session, listing)
