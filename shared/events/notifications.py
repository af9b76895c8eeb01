"""Events published by notifications (version 1): certificate.issued."""

from __future__ import annotations

from marshmallow import fields

from .fields import Lenient, utc_datetime
from .registry import register


@register("certificate.issued")
class CertificateIssuedData(Lenient):
    """The signed PDF of a certificate exists: anyone may check it at
    `verification_url` (valid / revoked / no longer available); `download_url`
    is a secret link to the PDF for the participant's own training record."""

    certificate_id = fields.String(required=True)
    registration_id = fields.String(required=True)
    event_id = fields.String(required=True)
    verification_url = fields.String(required=True)
    download_url = fields.String(required=True)
    signed = fields.Boolean(load_default=True)  # PAdES-signed (False only if no key was configured)
    issued_at = utc_datetime(required=True)
