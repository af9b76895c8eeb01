"""A certification authority of the tests' own (cryptography): a root, a
document-signing certificate it issues, packed as the operator would hand
it over (a password-protected PKCS#12 with the chain), and pyHanko's
validator trusting that root and nothing else."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

PASSWORD = b"parola d'ordine del comune"
UTC = dt.timezone.utc


@dataclass(frozen=True)
class TestAuthority:
    root: x509.Certificate
    pkcs12: bytes  # the signing key and certificate, with the root in the chain

    def trusting(self) -> ValidationContext:
        return trusting(self.root)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Regione di Test"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
        ]
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def make_authority(name: str = "CA di prova del Comune") -> TestAuthority:
    now = dt.datetime.now(UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(name))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    signing = (
        x509.CertificateBuilder()
        .subject_name(_name("Ufficio formazione - firma attestati"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"firma attestati", key, signing, [root], serialization.BestAvailableEncryption(PASSWORD)
    )
    return TestAuthority(root=root, pkcs12=bundle)


def trusting(root: x509.Certificate) -> ValidationContext:
    anchor = asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER))
    return ValidationContext(trust_roots=[anchor], allow_fetching=False)


def validate(pdf: bytes, context: ValidationContext) -> PdfSignatureStatus:
    """The one signature of `pdf`, as pyHanko's validator judges it."""
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return validate_pdf_signature(signature, context)
