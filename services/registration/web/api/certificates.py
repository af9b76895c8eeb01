"""Organisers' certificates and final test (roles owner, organiser): the
event's certificate rules, where each registration stands, issue or revoke
by hand with a reason; the final test's definition (with the right answers)
and its results per question. Participants take the test through their
secret link (`self_blp`); the right answers never reach them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.errors import NotFound
from shared.web.context import current_organiser, transaction

from ... import certificate_rules, certificates, final_tests, organiser
from ...links import by_token
from ...models import Listing
from ..certificate_views import final_test_view, standing_view
from ..schemas.certificates import (
    CertificateDecisionIn,
    CertificateRulesIn,
    CertificateRulesOut,
    CertificateStandingOut,
    FinalTestAttemptIn,
    FinalTestAttemptOut,
    FinalTestIn,
    FinalTestOut,
    FinalTestPaperOut,
    FinalTestResultsOut,
)
from .errors import BODY, NO_LINK, NO_REGISTRATION, organiser_errors, public_errors

blp = Blueprint(
    "registration_certificates",
    __name__,
    url_prefix="/api/v1/organiser/events/<slug>",
    description="Organisers: certificate rules, certificates by hand, the final test",
)
self_blp = Blueprint(
    "registration_self_test", __name__, url_prefix="/api/v1/self", description="The final test through the secret link"
)
NO_TEST = "No such event among the organiser's organisations, or it has no final test"


@blp.route("/certificate-rules")
class Rules(MethodView):
    @blp.response(200, CertificateRulesOut)
    @organiser_errors(blp)
    def get(self, slug):
        with transaction() as session:
            return certificate_rules.rules_view(session, organiser.listing_for(session, current_organiser(), slug))

    @blp.arguments(CertificateRulesIn())
    @blp.response(200, CertificateRulesOut)
    @organiser_errors(blp, *BODY, e422="A mandatory session that is not in the event's released programme")
    def patch(self, body, slug):
        """Change some rules; everyone confirmed is evaluated again against them."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug, for_update=True)
            return certificates.change_rules(session, listing, body, by=current_organiser().account_id)


@blp.route("/certificates")
class Standings(MethodView):
    @blp.response(200, CertificateStandingOut(many=True))
    @organiser_errors(blp)
    def get(self, slug):
        """Every confirmed registration against the rules, with its certificates and decisions."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return [standing_view(s) for s in certificates.standings(session, listing)]


@blp.route("/registrations/<registration_id>/certificate")
class OneStanding(MethodView):
    @blp.response(200, CertificateStandingOut)
    @organiser_errors(blp, e404=NO_REGISTRATION)
    def get(self, slug, registration_id):
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            registration = organiser.registration_of(session, listing, registration_id)
            return standing_view(certificates.standing(session, registration, listing))


@blp.route("/registrations/<registration_id>/certificate/decisions")
class Decisions(MethodView):
    @blp.arguments(CertificateDecisionIn())
    @blp.response(201, CertificateStandingOut)
    @organiser_errors(
        blp,
        *BODY,
        409,
        e404=NO_REGISTRATION,
        e409="Issue: the registration is not confirmed. Revoke: it has no valid certificate",
    )
    def post(self, body, slug, registration_id):
        """Issue (with today's hours and credits) or revoke by hand; the reason is kept, and the rules
        leave this registration alone afterwards."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            registration = organiser.registration_of(session, listing, registration_id, for_update=True)
            certificates.decide(session, registration, listing, **body, by=current_organiser().account_id)
            return standing_view(certificates.standing(session, registration, listing))


@blp.route("/final-test")
class FinalTest(MethodView):
    @blp.response(200, FinalTestOut)
    @organiser_errors(blp, e404=NO_TEST)
    def get(self, slug):
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug)
            return final_test_view(final_tests.existing_test(session, listing))

    @blp.arguments(FinalTestIn())
    @blp.response(200, FinalTestOut)
    @organiser_errors(
        blp,
        *BODY,
        409,
        e409="Participants have answered: only the title, pass mark, attempts and window may change",
        e422="A single choice without exactly one right option, or a window that closes before it opens",
    )
    def put(self, body, slug):
        """Create or replace the final test."""
        with transaction() as session:
            listing = organiser.listing_for(session, current_organiser(), slug, for_update=True)
            return final_test_view(final_tests.define(session, listing, body))


@blp.route("/final-test/results")
class Results(MethodView):
    @blp.response(200, FinalTestResultsOut)
    @organiser_errors(blp, e404=NO_TEST)
    def get(self, slug):
        """Per question the share of attempts right and how often each option was chosen."""
        with transaction() as session:
            return final_tests.results(session, organiser.listing_for(session, current_organiser(), slug))


@self_blp.route("/<token>/final-test")
class Paper(MethodView):
    @self_blp.response(200, FinalTestPaperOut)
    @public_errors(self_blp, 404, 429, e404="No registration behind this link, or the event has no final test")
    def get(self, token):
        """The test without its right answers; the questions while it can be taken."""
        with transaction() as session:
            registration = by_token(session, token)
            paper = final_tests.paper(session, registration, session.get_one(Listing, registration.event_id))
        if paper is None:
            raise NotFound("this event has no final test", field="token", location="path")
        return paper


@self_blp.route("/<token>/final-test/attempts")
class Attempts(MethodView):
    @self_blp.arguments(FinalTestAttemptIn())
    @self_blp.response(201, FinalTestAttemptOut)
    @public_errors(
        self_blp,
        *BODY,
        404,
        409,
        429,
        e404=NO_LINK,
        e409="Not confirmed, the test is not open, or no attempt is left",
        e422="An answer names a question or option not in the test, or several options for a single choice",
    )
    def post(self, body, token):
        """Submit an attempt: its score (share of questions fully right) and whether it passes."""
        with transaction() as session:
            registration = by_token(session, token, for_update=True)
            listing = session.get_one(Listing, registration.event_id)
            attempt, left = final_tests.submit(session, registration, listing, body["answers"])
            return {
                "number": attempt.number,
                "score": attempt.score,
                "passed": attempt.passed,
                "attempts_left": left,
                "submitted_at": attempt.submitted_at,
            }
