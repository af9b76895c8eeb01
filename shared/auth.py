"""Organiser bearer tokens: EdDSA-signed JWTs. Scheduling signs them with the
private key; every service verifies them with the public key alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.errors import DomainError, Forbidden, NotFound, Unauthorized

ALGORITHM = "EdDSA"
ISSUER = "eventi-scheduling"
AUDIENCE = "eventi"
TOKEN_LIFETIME = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Organiser:
    account_id: str
    email: str
    is_admin: bool
    roles: dict[str, str]  # organisation id -> role

    def require_role(self, organisation_ids, *roles: str, not_found: DomainError | None = None) -> None:
        """Admins may do anything; others need one of `roles` in one of the
        event's organisations. To someone of none of them the event answers as
        one that does not exist (`not_found`, the caller's own 404), so that
        another organisation's objects cannot even be told apart from nothing;
        a member without the role gets 403."""
        if self.is_admin:
            return
        if not any(org in self.roles for org in organisation_ids):
            raise not_found or NotFound("not found")
        if not any(self.roles.get(org) in roles for org in organisation_ids):
            raise Forbidden("your account has no permission for this event")


def ensure_keypair(private_path: Path, public_path: Path) -> None:
    """Create the signing key pair once (embedded mode and first start)."""
    if private_path.exists() and public_path.exists():
        return
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def issue_token(private_pem: bytes, organiser: Organiser, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    claims = {
        "sub": organiser.account_id,
        "email": organiser.email,
        "admin": organiser.is_admin,
        "roles": organiser.roles,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + TOKEN_LIFETIME,
    }
    return jwt.encode(claims, private_pem, algorithm=ALGORITHM)


def verify_token(public_pem: bytes, token: str) -> Organiser:
    try:
        claims = jwt.decode(
            token,
            public_pem,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iat"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from None
    return Organiser(
        account_id=claims["sub"],
        email=claims.get("email", ""),
        is_admin=bool(claims.get("admin")),
        roles=dict(claims.get("roles") or {}),
    )


def organiser_from_header(public_pem: bytes | None, authorization: str | None) -> Organiser:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("an organiser bearer token is required")
    if public_pem is None:
        raise Unauthorized("no public key configured to verify organiser tokens")
    return verify_token(public_pem, authorization.split(None, 1)[1].strip())
