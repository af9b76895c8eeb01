"""PAdES signatures on certificates of attendance (pyHanko), from the
operator's PKCS#12 (a key and its certificate, with the chain when there is
one). The signature is a certification signature that allows no change:
any edit after signing shows in every validator. A time stamp is added only
when a time-stamping authority is configured (PAdES B-T; else B-B).

The embedded default has no operator key: `make setup` creates a
self-signed one under var/ (`self_signed_pkcs12`), and the verification page
says so."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps

SIGNATURE_FIELD = "Firma"
SELF_SIGNED_YEARS = 10


class SigningKeyUnusable(RuntimeError):
    """The configured PKCS#12 cannot be opened (wrong password, no key in it)."""


@dataclass(frozen=True)
class SigningKey:
    """What signs, and what the verification page may say about it."""

    signer: signers.SimpleSigner
    subject: str  # the signing certificate's subject, as people read it
    self_signed: bool
    fingerprint: str  # SHA-256 of the signing certificate, hex


@functools.lru_cache(maxsize=4)  # one key per process in practice; opening a PKCS#12 is not free
def load_signing_key(pkcs12_data: bytes, password: bytes | None = None) -> SigningKey:
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12_data, other_certs=(), passphrase=password or None)
    except ValueError as error:
        raise SigningKeyUnusable(f"the certificate signing PKCS#12 cannot be opened: {error}") from None
    certificate = signer.signing_cert
    if certificate is None:
        raise SigningKeyUnusable("the certificate signing PKCS#12 holds no certificate")
    return SigningKey(
        signer=signer,
        subject=_readable(certificate.subject),
        self_signed=certificate.self_signed in ("yes", "maybe"),
        fingerprint=hashlib.sha256(certificate.dump()).hexdigest(),
    )


def _readable(name) -> str:
    """'Comune di Prova (Eventi)': the common name, then the organisation."""
    parts = name.native
    common, organisation = parts.get("common_name"), parts.get("organization_name")
    if not common:
        return name.human_friendly
    return f"{common} ({organisation})" if organisation and organisation != common else common


def sign_pdf(
    pdf: bytes,
    key: SigningKey,
    *,
    reason: str,
    location: str,
    timestamp_url: str | None = None,
) -> bytes:
    """`pdf` with a PAdES certification signature over the whole file."""
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
    )
    stamper = timestamps.HTTPTimeStamper(timestamp_url) if timestamp_url else None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    signed = signers.PdfSigner(metadata, signer=key.signer, timestamper=stamper).sign_pdf(writer)
    return signed.getvalue()


def self_signed_pkcs12(common_name: str, organisation: str, *, now: dt.datetime | None = None) -> bytes:
    """A new P-256 key with a self-signed certificate for document signing,
    as an unencrypted PKCS#12 (the file's permissions protect it)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(common_name.encode(), key, certificate, None, NoEncryption())
