"""Invitations (iTIP) and the MIME that carries them, without any I/O."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar

from services.notifications.calendar.invitations import InviteData, build_invitation
from services.notifications.mail.mime import compose
from services.notifications.mail.render import KINDS, LANGUAGES, render

UTC = dt.timezone.utc


def invite(**overrides) -> InviteData:
    data = dict(
        uid="registration-1@eventi.example",
        sequence=0,
        summary="Città, bilancio e «partecipazione»",
        starts_at=dt.datetime(2026, 12, 14, 8, 30, tzinfo=UTC),
        ends_at=dt.datetime(2026, 12, 14, 12, 30, tzinfo=UTC),
        location="Sala consiliare",
        description="x" * 300,
        url="https://eventi.example/e/1",
        organizer_email="noreply@eventi.example",
        organizer_name="Eventi",
        attendee_email="anna@example.org",
        attendee_name="Anna Bianchi",
        stamp=dt.datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
    )
    data.update(overrides)
    return InviteData(**data)


def test_a_request_names_the_organizer_and_the_one_attendee_in_utc():
    calendar = Calendar.from_ical(build_invitation(invite(), "REQUEST"))
    event = calendar.events[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:noreply@eventi.example"
    assert str(event["ATTENDEE"]) == "mailto:anna@example.org"
    assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == dt.datetime(2026, 12, 14, 8, 30, tzinfo=UTC)


def test_a_cancel_keeps_the_uid_and_carries_the_higher_sequence():
    request = Calendar.from_ical(build_invitation(invite(), "REQUEST")).events[0]
    cancel_calendar = Calendar.from_ical(build_invitation(invite(sequence=1), "CANCEL"))
    cancel = cancel_calendar.events[0]
    assert cancel_calendar["METHOD"] == "CANCEL" and cancel["STATUS"] == "CANCELLED"
    assert cancel["UID"] == request["UID"] and cancel["SEQUENCE"] > request["SEQUENCE"]


def test_invitation_lines_end_in_crlf_and_are_folded_within_75_octets():
    raw = build_invitation(invite(), "REQUEST")
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75


def test_the_same_invitation_data_gives_the_same_bytes():
    assert build_invitation(invite(), "REQUEST") == build_invitation(invite(), "REQUEST")


def test_an_invitation_mail_is_mime_multipart_with_a_matching_method_and_an_attachment():
    ics = build_invitation(invite(), "REQUEST")
    message = compose(
        sender="Eventi <noreply@eventi.example>",
        recipient="anna@example.org",
        recipient_name="Anna Bianchi",
        subject="Iscrizione confermata",
        text="Testo è",
        html="<p>Testo è</p>",
        calendar=ics,
        method="REQUEST",
    )
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert parsed.get_content_type() == "multipart/mixed"
    alternative = parsed.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in alternative.get_payload()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar_part = alternative.get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_payload(decode=True) == ics  # CRLF survives the round trip
    attachment = parsed.get_payload()[1]
    assert attachment.get_content_type() == "application/ics" and attachment.get_filename() == "invito.ics"


def test_a_mail_without_invitation_has_no_calendar_part():
    message = compose(
        sender="noreply@eventi.example",
        recipient="b@example.org",
        recipient_name="B",
        subject="Waiting list",
        text="t",
        html="<p>t</p>",
        language="en",
    )
    assert "text/calendar" not in [part.get_content_type() for part in message.walk()]


SAMPLE = {
    "participant": {"first_name": "Anna", "last_name": "Bianchi", "email": "anna@example.org", "locale": "it"},
    "event": {
        "title": {"it": "Bilancio partecipativo", "en": "Participatory budgeting"},
        "starts_at": dt.datetime(2026, 12, 14, 8, 30, tzinfo=UTC),
        "ends_at": dt.datetime(2026, 12, 14, 12, 30, tzinfo=UTC),
        "timezone": "Europe/Rome",
        "venue": "Sala consiliare",
    },
    "manage_url": "https://eventi.example/registration/r/SECRET",
    "survey_url": "https://eventi.example/registration/s/SECRET",
    "waitlist_position": 2,
    "has_invitation": True,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_mail_template_renders_in_both_languages(kind, language):
    rendered = render(kind, language, **SAMPLE)
    title = SAMPLE["event"]["title"][language]
    assert title in rendered.subject and title in rendered.text
    assert "9:30" in rendered.text.replace("09:30", "9:30")  # the event's local time, not UTC
    assert rendered.html.startswith("<!doctype html>") and f'lang="{language}"' in rendered.html


def test_participant_names_are_escaped_in_html_mail():
    sample = {**SAMPLE, "participant": {**SAMPLE["participant"], "first_name": "<script>x</script>"}}
    rendered = render("registration_confirmed", "it", **sample)
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
