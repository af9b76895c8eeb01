"""attendance.certified sends a certificate of attendance: a PDF that an
outside parser (pypdf) opens, naming the participant, the event, the hours
and the organisers."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from services.notifications.config import DEFAULT_FONT
from tests.integration.notification_helpers import Notifications, golden


def pdf_of(message) -> bytes:
    (attachment,) = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert attachment.get_filename().endswith(".pdf")
    return attachment.get_payload(decode=True)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return " ".join(" ".join(reader.pages[0].extract_text().split()).split())


@pytest.mark.parametrize("font", ["dejavu", "core"])
def test_a_certificate_is_a_pdf_with_the_name_the_event_and_the_hours(tmp_path, font):
    if font == "dejavu" and not DEFAULT_FONT.exists():
        pytest.skip("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    notifications = Notifications(
        tmp_path,
        certificate_font=DEFAULT_FONT if font == "dejavu" else None,
        organizer_name="Associazione dei Comuni e Università di Prova",
    )
    data = golden("attendance.certified")
    data["participant"].update(first_name="Zoë", last_name="Łukasiewicz-Rossi")
    data.update(minutes_attended=150, hours_total=2.5)
    notifications.publish("attendance.certified", data)
    (mail,) = notifications.mails()
    pdf = pdf_of(mail)
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    name = "Zoë Łukasiewicz-Rossi" if font == "dejavu" else "Zoë Lukasiewicz-Rossi"
    assert name in text
    assert "2,5 ore" in text and "Bilancio partecipativo" in text
    assert "Associazione dei Comuni" in text
    assert "2,5 ore" in mail.get_body(preferencelist=("plain",)).get_content()


def test_an_english_certificate_speaks_english(tmp_path):
    notifications = Notifications(tmp_path)
    data = golden("attendance.certified")
    data["participant"]["locale"] = "en"
    notifications.publish("attendance.certified", data)
    text = text_of(pdf_of(notifications.mails()[0]))
    assert "CERTIFICATE OF ATTENDANCE" in text and "Anna1 Bianchi" in text and "3 hours" in text
