"""survey.invited and record.link_requested become mails through
notifications' real dispatch, on SQLite and PostgreSQL: the secret link to
the recipient only, the closing date or expiry, the reminder said as one,
Italian or English as the participant chose; a redelivery sends nothing twice."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.notification_helpers import Notifications, golden


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifications(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    return Notifications(tmp_path, database_url=url)


def body_of(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def test_a_survey_invitation_mails_the_secret_link_and_the_closing_date(notifications):
    data = golden("survey.invited")
    message_id = str(uuid.uuid4())
    notifications.publish("survey.invited", data, message_id=message_id)
    notifications.publish("survey.invited", data, message_id=message_id)  # redelivered
    (mail,) = notifications.mails()
    assert mail["To"].addresses[0].addr_spec == "anna1@example.org"
    assert mail["Subject"].startswith("Com'è andata?") and "Bilancio partecipativo" in mail["Subject"]
    text = body_of(mail)
    assert data["survey_url"] in text and "28 dicembre 2026" in text


def test_the_reminder_says_it_is_one_and_english_speakers_read_english(notifications):
    data = golden("survey.invited")
    data["reminder"] = True
    data["participant"]["locale"] = "en"
    notifications.publish("survey.invited", data)
    (mail,) = notifications.mails()
    assert mail["Subject"].startswith("Reminder: How was it?") and "Participatory budgeting" in mail["Subject"]
    assert "you have not answered it yet" in body_of(mail)


@pytest.mark.parametrize("locale, words", [("it", "libretto formativo"), ("en", "training record")])
def test_the_record_link_goes_to_the_address_that_asked_with_its_expiry(notifications, locale, words):
    data = {**golden("record.link_requested"), "locale": locale}
    notifications.publish("record.link_requested", data)
    (mail,) = notifications.mails()
    assert mail["To"].addresses[0].addr_spec == "anna1@example.org"
    text = body_of(mail)
    assert words in text and data["record_url"] in text and "2026" in text
