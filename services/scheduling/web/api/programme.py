"""The programme's JSON API: load schema -> one use case -> dump schema.

Organisers (bearer token, owner or organiser of one of the event's
organisations) edit rooms, tracks, session types, speakers and sessions of
the work-in-progress schedule and release it; everyone reads the last
released version."""

from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.api import error_body
from shared.web.context import current_organiser, transaction
from shared.web.fields import MAX_ID, documented_errors

from ...models import Room, SessionType, Speaker, Track
from ...programme import items, releases, sessions
from ..context import config
from ..presenters import released_view, session_view, version_view
from ..schemas.programme import (
    ConflictsOut,
    NamedOut,
    ReleasedScheduleOut,
    ReleaseIn,
    ReleaseOut,
    ReleaseRefusedOut,
    RoomIn,
    RoomOut,
    SessionIn,
    SessionListOut,
    SessionListQuery,
    SessionOut,
    SessionTypeIn,
    SpeakerIn,
    SpeakerOut,
    TrackIn,
    TrackOut,
    VersionOut,
    named_row,
    session_row,
    speaker_row,
)

blp = Blueprint(
    "programme",
    __name__,
    url_prefix="/api/v1/events/<slug>",
    description="Programme: rooms, tracks, speakers, sessions, conflicts and released versions",
)


PUBLIC = ("ReleasedScheduleView", "Versions")


@blp.before_request
def _organisers_first():
    """A missing or bad token is 401 before any input is validated."""
    if (request.endpoint or "").rsplit(".", 1)[-1] not in PUBLIC:
        current_organiser()


def _patch_schema(schema_in):
    """A partial copy under its own name (one OpenAPI component per shape).
    Only its own fields may be left out: a nested text given in a PATCH is
    given whole (a name without `it` is refused, not half applied)."""
    return type(schema_in.__name__.replace("In", "Patch"), (schema_in,), {})(partial=tuple(schema_in._declared_fields))


# What any organisers' operation may answer besides its own: no or a bad token
# (401), a member without the role (403), an event that is not the organiser's
# (404); with a body, one that is not JSON (400) or not valid (422).
READ = (401, 403, 404)
WRITE = (400, *READ, 422)
ALREADY = "An item of that name exists, or the item is in use or cancelled (see message)"


def _resource(path: str, model, schema_in, schema_out, to_row, label: str) -> None:
    """GET/POST on /<path>, PATCH/DELETE on /<path>/<item_id> for one kind of item."""

    class Items(MethodView):
        @blp.response(200, schema_out(many=True))
        @documented_errors(blp, *READ)
        def get(self, slug):
            with transaction() as session:
                return items.list_items(session, current_organiser(), slug, model)

        @blp.arguments(schema_in())
        @blp.response(201, schema_out)
        @documented_errors(blp, *WRITE, 409, e409=ALREADY)
        def post(self, data, slug):
            organiser = current_organiser()
            with transaction() as session:
                return items.add_item(session, organiser, slug, model, to_row(data))

    class Item(MethodView):
        @blp.arguments(_patch_schema(schema_in))
        @blp.response(200, schema_out)
        @documented_errors(blp, *WRITE, 409, e409=ALREADY)
        def patch(self, data, slug, item_id):
            organiser = current_organiser()
            with transaction() as session:
                return items.update_item(session, organiser, slug, model, item_id, to_row(data))

        @blp.response(204)
        @documented_errors(blp, *READ, 409, e409=ALREADY)
        def delete(self, slug, item_id):
            organiser = current_organiser()
            with transaction() as session:
                items.delete_item(session, organiser, slug, model, item_id)

    for view, suffix in ((Items, ""), (Item, "/<item_id>")):
        view.__name__ = f"{label}{view.__name__}"
        view.__doc__ = f"{label.replace('_', ' ').capitalize()} of the event (organisers only)."
        blp.route(f"/{path}{suffix}")(view)


_resource("rooms", Room, RoomIn, RoomOut, dict, "room")
_resource("tracks", Track, TrackIn, TrackOut, named_row, "track")
_resource("session-types", SessionType, SessionTypeIn, NamedOut, named_row, "session_type")
_resource("speakers", Speaker, SpeakerIn, SpeakerOut, speaker_row, "speaker")


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.arguments(SessionListQuery(), location="query")
    @blp.response(200, SessionListOut)
    @documented_errors(blp, *READ, 422)
    def get(self, query, slug):
        """The work-in-progress sessions and breaks with every conflict (organisers only)."""
        organiser = current_organiser()
        with transaction() as session:
            event, rows = sessions.list_sessions(session, organiser, slug, **query)
            conflicts = sessions.event_conflicts(session, event)
            return {"items": [session_view(row, conflicts) for row in rows], "conflicts": conflicts}

    @blp.arguments(SessionIn())
    @blp.response(201, SessionOut)
    @documented_errors(blp, *WRITE, 409, e409="The event is cancelled")
    def post(self, data, slug):
        """Add a session or break; the answer lists the conflicts it is part of."""
        organiser = current_organiser()
        with transaction() as session:
            event, row = sessions.create_session(session, organiser, slug, session_row(data))
            return session_view(row, sessions.event_conflicts(session, event))


@blp.route(f"/sessions/<int(max={MAX_ID}):session_id>")
class SessionDetail(MethodView):
    @blp.response(200, SessionOut)
    @documented_errors(blp, *READ)
    def get(self, slug, session_id):
        """One work-in-progress session with its conflicts."""
        organiser = current_organiser()
        with transaction() as session:
            event, row = sessions.get_session(session, organiser, slug, session_id)
            return session_view(row, sessions.event_conflicts(session, event))

    @blp.arguments(_patch_schema(SessionIn))
    @blp.response(200, SessionOut)
    @documented_errors(blp, *WRITE, 409, e409="The event is cancelled")
    def patch(self, data, slug, session_id):
        """Change a session (move it, change its room, its text...)."""
        organiser = current_organiser()
        with transaction() as session:
            event, row = sessions.update_session(session, organiser, slug, session_id, session_row(data))
            return session_view(row, sessions.event_conflicts(session, event))

    @blp.response(204)
    @documented_errors(blp, *READ, 409, e409="The session is already cancelled")
    def delete(self, slug, session_id):
        """Delete it; once released, the next release shows it as cancelled."""
        organiser = current_organiser()
        with transaction() as session:
            sessions.cancel_session(session, organiser, slug, session_id)


@blp.route("/conflicts")
class Conflicts(MethodView):
    @blp.response(200, ConflictsOut)
    @documented_errors(blp, *READ)
    def get(self, slug):
        """Every conflict of the work-in-progress schedule (organisers only)."""
        organiser = current_organiser()
        with transaction() as session:
            event = items.organised_event(session, organiser, slug, lock=False)
            return {"conflicts": sessions.event_conflicts(session, event)}


@blp.route("/schedule/releases")
class Releases(MethodView):
    @blp.arguments(ReleaseIn())
    @blp.response(201, ReleaseOut)
    @blp.alt_response(
        409, schema=ReleaseRefusedOut, description="conflicts (listed in `conflicts`) without force, or nothing changed"
    )
    @documented_errors(blp, *WRITE)
    def post(self, data, slug):
        """Release the work in progress as a new named version (`schedule.released`)."""
        organiser = current_organiser()
        try:
            with transaction() as session:
                version, release, conflicts = releases.release_schedule(
                    session, organiser, slug, **data, public_base_url=config().public_base_url
                )
        except releases.ScheduleHasConflicts as exc:
            body = error_body(exc.status, exc.message, exc.field) | {
                "conflicts": ConflictsOut().dump({"conflicts": exc.conflicts})["conflicts"]
            }
            return jsonify(body), exc.status
        return version_view(version, release.changelog) | {"conflicts": conflicts}


@blp.route("/schedule")
class ReleasedScheduleView(MethodView):
    @blp.response(200, ReleasedScheduleOut)
    @documented_errors(blp, 404, e404="No such event, or nothing released yet")
    def get(self, slug):
        """The last released schedule (public; 404 before the first release)."""
        with transaction() as session:
            schedule = releases.released_schedule(session, slug)
        return released_view(schedule, config().public_base_url)


@blp.route("/schedule/versions")
class Versions(MethodView):
    @blp.response(200, VersionOut(many=True))
    @documented_errors(blp, 404)
    def get(self, slug):
        """Every released version, newest first, with its changelog (public)."""
        with transaction() as session:
            return [version_view(v) for v in releases.list_versions(session, slug)]
