"""Organisers' online attendance (roles owner, organiser): a webinar
platform's attendance report uploaded for a session or day, previewed, then
confirmed with a mapping; and the registrant list with per-person join links."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction
from shared.web.fields import MAX_ID

from ... import attendance_import, join_links, organiser
from ..presenters import import_view
from ..schemas.online import ConfirmIn, ImportOut, JoinLinksOut, RegistrantFileIn, ReportFileIn, TargetIn
from .errors import BODY, organiser_errors

blp = Blueprint(
    "registration_online",
    __name__,
    url_prefix="/api/v1/organiser/events/<slug>",
    description="Online attendance reports and per-person join links",
)
NO_IMPORT = "No such event among the organiser's organisations, or no such import in it"


@blp.route("/attendance-imports")
class AttendanceImports(MethodView):
    @blp.arguments(ReportFileIn(), location="files")
    @blp.arguments(TargetIn(), location="form")
    @blp.response(201, ImportOut)
    @blp.alt_response(200, schema=ImportOut, description="This very file was already imported (nothing changed)")
    @organiser_errors(
        blp,
        *BODY,
        e422="Not a session or day of the event, or a report we cannot read (the message names row and column)",
    )
    def post(self, files, form, slug):
        """Upload an attendance report (Zoom, Teams, Webex, Google Meet or plain CSV): its preview."""
        upload = files["file"]
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            found, unchanged = attendance_import.upload(
                session,
                listing,
                target=form["target"],
                content=upload.read(),
                filename=upload.filename or "",
                by=current_organiser().account_id,
            )
            answer = import_view(session, found, unchanged=unchanged)
        return answer, 200 if unchanged else 201


@blp.route(f"/attendance-imports/<int(max={MAX_ID}):import_id>")
class AttendanceImport(MethodView):
    @blp.response(200, ImportOut)
    @organiser_errors(blp, e404=NO_IMPORT)
    def get(self, slug, import_id):
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return import_view(session, attendance_import.import_of(session, listing, import_id))


@blp.route(f"/attendance-imports/<int(max={MAX_ID}):import_id>/confirm")
class ConfirmImport(MethodView):
    @blp.arguments(ConfirmIn())
    @blp.response(200, ImportOut)
    @organiser_errors(
        blp,
        *BODY,
        409,
        e404=NO_IMPORT,
        e409="A later import for the same target replaced this preview",
        e422="The mapping names a row not in the report or a registration not confirmed in this event",
    )
    def post(self, body, slug, import_id):
        """Record the attendance: e-mail matches, plus the mapping for proposals and unmatched rows."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            done, unchanged = attendance_import.confirm(session, listing, import_id, body["mapping"])
            return import_view(session, done, unchanged=unchanged)


@blp.route("/join-links")
class JoinLinks(MethodView):
    @blp.arguments(RegistrantFileIn(), location="files")
    @blp.response(200, JoinLinksOut)
    @organiser_errors(
        blp, *BODY, e422="No e-mail and join link columns, or a link that is not http(s) (row and column)"
    )
    def post(self, files, slug):
        """Upload the platform's registrant list: each registration's own join link, matched by e-mail."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return join_links.import_links(session, listing, files["file"].read())
