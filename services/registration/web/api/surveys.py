"""Organisers' API of the satisfaction survey of an event (roles owner,
organiser): its definition and its results."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.context import current_organiser, transaction

from ... import organiser, survey_results, surveys
from ..schemas.surveys import SurveyIn, SurveyOut, SurveyResultsOut
from ..survey_views import results_view, survey_view
from .errors import BODY, organiser_errors

blp = Blueprint(
    "registration_surveys",
    __name__,
    url_prefix="/api/v1/organiser/events/<slug>/survey",
    description="Organisers: the satisfaction survey of an event and its results",
)


@blp.route("")
class SurveyDefinition(MethodView):
    @blp.response(200, SurveyOut)
    @organiser_errors(blp)
    def get(self, slug):
        """The survey (an empty one, not yet saved, when there is none)."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return survey_view(session, surveys.survey_of(session, listing), listing)

    @blp.arguments(SurveyIn())
    @blp.response(200, SurveyOut)
    @organiser_errors(blp, *BODY, 409, e409="The invitations went out: questions and anonymous mode are fixed")
    def put(self, body, slug):
        """Create or change the survey; `questions`, when given, replace the old ones."""
        questions = body.pop("questions", None)
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            survey = surveys.define(session, listing, body, questions)
            return survey_view(session, survey, listing)


@blp.route("/results")
class SurveyResults(MethodView):
    @blp.response(200, SurveyResultsOut)
    @organiser_errors(blp, e404="No such event among the organiser's organisations, or it has no survey")
    def get(self, slug):
        """Counts per option, the Likert distribution and mean, the free texts."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return results_view(survey_results.results(session, surveys.required_survey(session, listing)))
