"""Registration's tables, one module per aggregate. State transitions are model methods."""

from .access import CheckIn, RegistrationLink
from .base import Base, Inbox, Outbox
from .certificate import DECISIONS, ISSUERS, Certificate, CertificateDecision, CertificateRules
from .final_test import QUESTION_KINDS, FinalTest, FinalTestAttempt, FinalTestOption, FinalTestQuestion
from .form import FIELD_KINDS, Category, FieldOption, FormField
from .listing import PROMOTION_MODES, Listing
from .message import AUDIENCES, ParticipantMessage
from .notice import PrivacyNotice
from .online import IMPORT_STATES, AttendanceImport, OnlinePresence
from .programme import ProgrammeSession, WorkshopSignup
from .record import CertificateDownload, RecordLink
from .registration import ACTIVE, TRANSITIONS, Registration
from .survey import LIKERT, SURVEY_KINDS, Survey, SurveyInvitation, SurveyQuestion, SurveyResponse

__all__ = [
    "AUDIENCES",
    "ParticipantMessage",
    "DECISIONS",
    "ISSUERS",
    "QUESTION_KINDS",
    "Certificate",
    "CertificateDecision",
    "CertificateRules",
    "FinalTest",
    "FinalTestAttempt",
    "FinalTestOption",
    "FinalTestQuestion",
    "ACTIVE",
    "IMPORT_STATES",
    "AttendanceImport",
    "FIELD_KINDS",
    "PROMOTION_MODES",
    "TRANSITIONS",
    "Base",
    "Category",
    "CheckIn",
    "FieldOption",
    "FormField",
    "Inbox",
    "Listing",
    "OnlinePresence",
    "PrivacyNotice",
    "Outbox",
    "ProgrammeSession",
    "Registration",
    "RegistrationLink",
    "WorkshopSignup",
    "CertificateDownload",
    "RecordLink",
    "LIKERT",
    "SURVEY_KINDS",
    "Survey",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
]
