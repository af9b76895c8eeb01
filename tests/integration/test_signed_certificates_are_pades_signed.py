"""attendance.certified gives a certificate PDF with a PAdES signature made
with the operator's PKCS#12: pyHanko's validator, trusting only the tests'
own CA, finds it intact, trusted and covering the whole file; one changed
byte, or a validator trusting another CA, makes it fail. The PDF names the
certificate id, the hours and the credits, and its QR code (read by
zxing-cpp) is the verification address."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pypdf import PdfReader

from tests.integration.notification_helpers import Notifications, golden
from tests.integration.signed_certificates_support import PASSWORD, make_authority, validate
from tests.integration.test_certificates_open_as_pdf_with_name_and_hours import pdf_of, text_of

CERTIFICATE_ID = "c3a1e7d0-5555-4e4e-9f9f-000000000005"
VERIFY = f"https://eventi.example/notifications/certificates/{CERTIFICATE_ID}"


@pytest.fixture(scope="module")
def authority():
    return make_authority()


def certified(**overrides) -> dict:
    data = golden("attendance.certified")
    data.update(
        certificate_id=CERTIFICATE_ID,
        hours_total=3.5,
        credits=[
            {
                "type_id": "cfp-revisori",
                "organisation_id": "a1b2c3d4-0000-4000-8000-00000000000a",
                "name": {"it": "Crediti formativi revisori", "en": "Auditors' training credits"},
                "unit": "CFP",
                "amount": 4,
            }
        ],
    )
    data.update(overrides)
    return data


@pytest.fixture
def signed_pdf(tmp_path, authority) -> bytes:
    notifications = Notifications(tmp_path, certificate_pkcs12=authority.pkcs12, certificate_pkcs12_password=PASSWORD)
    notifications.publish("attendance.certified", certified())
    (mail,) = notifications.mails(kind="certificate")
    return pdf_of(mail)


def test_the_signature_is_pades_valid_trusted_and_covers_the_whole_file(signed_pdf, authority):
    status = validate(signed_pdf, authority.trusting())
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert "Ufficio formazione" in status.signing_cert.subject.human_friendly


def test_it_is_a_pades_certification_signature_that_allows_no_change(signed_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm

    reader = PdfFileReader(io.BytesIO(signed_pdf))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES, not adbe.pkcs7
    assert signature.docmdp_level == MDPPerm.NO_CHANGES


def test_a_changed_byte_breaks_the_signature(signed_pdf, authority):
    # A letter of the document's title in the Info dictionary, inside the signed range.
    start = signed_pdf.index(b"/Title")
    position = signed_pdf.index(b"A", start)
    tampered = signed_pdf[:position] + b"B" + signed_pdf[position + 1 :]
    assert len(tampered) == len(signed_pdf) and tampered != signed_pdf
    status = validate(tampered, authority.trusting())
    assert not status.intact and not status.bottom_line
    assert validate(signed_pdf, authority.trusting()).bottom_line  # control: the untouched file passes


def test_a_validator_trusting_another_authority_does_not_trust_it(signed_pdf, authority):
    stranger = make_authority("Un'altra CA")
    status = validate(signed_pdf, stranger.trusting())
    assert status.intact  # the bytes are as signed ...
    assert not status.trusted and not status.bottom_line  # ... but not by anyone this validator trusts


def test_the_pdf_names_the_id_the_verification_address_the_hours_and_the_credits(signed_pdf):
    text = text_of(signed_pdf)
    assert CERTIFICATE_ID in text and VERIFY in text
    assert "3,5 ore di formazione" in text
    assert "4 CFP (Crediti formativi revisori)" in text
    assert "Anna1 Bianchi" in text


def test_the_qr_code_opens_the_verification_page(signed_pdf):
    (image,) = PdfReader(io.BytesIO(signed_pdf)).pages[0].images
    codes = zxingcpp.read_barcodes(image.image)
    assert [code.text for code in codes] == [VERIFY]


def test_an_english_certificate_speaks_english(tmp_path, authority):
    notifications = Notifications(tmp_path, certificate_pkcs12=authority.pkcs12, certificate_pkcs12_password=PASSWORD)
    data = certified()
    data["participant"]["locale"] = "en"
    notifications.publish("attendance.certified", data)
    pdf = pdf_of(notifications.mails(kind="certificate")[0])
    text = text_of(pdf)
    assert "CERTIFICATE OF ATTENDANCE" in text and "3.5 hours of training" in text
    assert "4 CFP (Auditors' training credits)" in text and "Check that it is genuine at" in text
    assert validate(pdf, authority.trusting()).bottom_line


def test_without_a_configured_key_the_certificate_goes_out_unsigned(tmp_path):
    notifications = Notifications(tmp_path)
    notifications.publish("attendance.certified", certified())
    pdf = pdf_of(notifications.mails(kind="certificate")[0])
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    assert CERTIFICATE_ID in text_of(pdf)
