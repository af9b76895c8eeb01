"""The MIME bytes written by services/notifications/mail/mime.py, read back by the
standard library's parser: the iMIP structure, encodings that round-trip,
CRLF line ends, short lines, and no header injection."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from services.notifications.mail.mime import Attachment, build_mail

ICS = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
TEXT = "Gentile Zoë,\n\nriga lunga " + "è" * 200 + "\n\n=ciao= \ttab finale \n"
HTML = "<!doctype html><p>Città</p>"


def mail(**overrides) -> bytes:
    values = dict(
        sender="Eventi Città <noreply@eventi.example>",
        recipient="zoe@example.org",
        recipient_name="Zoë Łukasiewicz",
        subject="Iscrizione confermata: «Città»",
        text=TEXT,
        html=HTML,
    )
    values.update(overrides)
    return build_mail(**values).raw


def parse(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def test_a_plain_mail_is_multipart_alternative_with_text_and_html():
    message = parse(mail())
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert text == TEXT.rstrip("\n")  # the last line break belongs to the MIME boundary
    assert message.get_body(preferencelist=("html",)).get_content().strip() == HTML


def test_an_invitation_is_mixed_alternative_with_a_matching_method_and_an_ics_attachment():
    message = parse(mail(calendar=ICS, method="REQUEST", language="en"))
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar = list(alternative.iter_parts())[2]
    assert calendar.get_param("method") == "REQUEST" and calendar.get_content_charset() == "utf-8"
    assert calendar.get_content_disposition() is None
    assert calendar.get_payload(decode=True) == ICS
    assert attachment.get_filename() == "invite.ics" and attachment.get_payload(decode=True) == ICS
    assert message["Content-Language"] == "en"


def test_attachments_without_invitation_follow_the_alternative():
    pdf = b"%PDF-1.4 binary \x00\xff" * 100
    message = parse(mail(attachments=(Attachment("attestato-città.pdf", "application", "pdf", pdf),)))
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert attachment.get_content_type() == "application/pdf" and attachment.get_payload(decode=True) == pdf
    assert attachment.get_filename() == "attestato-citt.pdf"


def test_headers_carry_non_ascii_names_and_subjects_encoded():
    raw = mail()
    message = parse(raw)
    assert str(message["Subject"]) == "Iscrizione confermata: «Città»"
    assert message["To"].addresses[0].display_name == "Zoë Łukasiewicz"
    assert message["From"].addresses[0].addr_spec == "noreply@eventi.example"
    assert message["Message-ID"].startswith("<") and message["MIME-Version"] == "1.0"
    assert raw.split(b"\r\n\r\n", 1)[0].isascii()


def test_every_line_ends_in_crlf_and_stays_short():
    raw = mail(calendar=ICS, method="CANCEL")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    body_lines = raw.split(b"\r\n\r\n", 1)[1].split(b"\r\n")
    assert max(len(line) for line in body_lines) <= 78


def test_line_breaks_in_header_values_cannot_add_headers():
    message = parse(mail(subject="Ciao\r\nBcc: victim@example.org", recipient_name="A\nB"))
    assert message["Bcc"] is None and "Bcc" in str(message["Subject"])


def test_an_invitation_needs_request_or_cancel():
    with pytest.raises(ValueError):
        mail(calendar=ICS, method="PUBLISH")
