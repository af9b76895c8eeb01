"""Organiser logins and bearer tokens from an attacker's side: failed logins
are limited per account and per client address (X-Forwarded-For believed only
from the trusted proxies, counts shared through Redis), an unknown e-mail
costs the same password hash as a wrong password, a missing signing key is a
503, and tampered or foreign tokens are refused with 401."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import jwt
import pytest
from argon2 import PasswordHasher
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.scheduling import accounts
from shared.auth import ALGORITHM, AUDIENCE, ISSUER, Organiser, issue_token
from tests import servers
from tests.integration.scheduling_support import GIULIA, MARCO, SchedulingDesk, submit

TOKEN = "/api/v1/auth/token"
WRONG = {"email": GIULIA["email"], "password": "not-her-password"}


def desk_with_limits(tmp_path, **config) -> SchedulingDesk:
    limits = {"LOGIN_ACCOUNT_LIMIT": "5 per minute", "LOGIN_ADDRESS_LIMIT": "8 per minute", **config}
    return SchedulingDesk(tmp_path, **limits)


def attempts(client, body, n, **kwargs) -> list[int]:
    return [client.post(TOKEN, json=body, **kwargs).status_code for _ in range(n)]


def test_an_account_is_locked_for_a_while_after_five_failures_even_with_the_right_password(tmp_path):
    desk = desk_with_limits(tmp_path)
    assert attempts(desk.client, WRONG, 5) == [401] * 5
    refused = desk.client.post(TOKEN, json=GIULIA)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.get_json()["errors"]["json"] == {"email": ["too many failed logins: try again later"]}
    assert desk.client.post(TOKEN, json=MARCO).status_code == 200  # another account is not locked


def test_the_control_without_limits_lets_thirty_failures_through_and_then_the_password(tmp_path):
    desk = desk_with_limits(tmp_path, LOGIN_LIMITS_ENABLED=False)
    assert attempts(desk.client, WRONG, 30) == [401] * 30
    assert desk.client.post(TOKEN, json=GIULIA).status_code == 200


def test_successful_logins_are_not_counted(tmp_path):
    desk = desk_with_limits(tmp_path)
    assert attempts(desk.client, GIULIA, 12) == [200] * 12


def test_one_address_trying_many_accounts_is_stopped(tmp_path):
    desk = desk_with_limits(tmp_path)
    codes = [
        desk.client.post(TOKEN, json={"email": f"guess{n}@comuni.example", "password": "x"}).status_code
        for n in range(10)
    ]
    assert codes == [401] * 8 + [429] * 2


def test_the_login_page_is_throttled_like_the_api(tmp_path):
    desk = desk_with_limits(tmp_path)
    codes = [submit(desk.client, "/login", WRONG).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    page = submit(desk.client, "/login", GIULIA)
    assert page.status_code == 429 and "Troppi tentativi" in page.get_data(as_text=True)


def test_forwarded_addresses_count_apart_only_behind_a_trusted_proxy(tmp_path):
    untrusted = desk_with_limits(tmp_path / "direct")
    spoofed = [
        untrusted.client.post(
            TOKEN, json={"email": f"x{n}@e.example", "password": "x"}, headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(10)
    ]
    assert spoofed.count(429) == 2  # the header is ignored: one address, one bucket

    proxied = desk_with_limits(tmp_path / "proxied", TRUSTED_PROXIES="127.0.0.0/8")
    distinct = [
        proxied.client.post(
            TOKEN, json={"email": f"x{n}@e.example", "password": "x"}, headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(10)
    ]
    assert distinct == [401] * 10  # ten participants, ten buckets


def test_every_process_counts_the_same_failures_through_redis(tmp_path):
    from services.scheduling.app import create_app

    # The e-mail is new on every run; the address limit is out of the way.
    shared = {"RATELIMIT_STORAGE_URI": servers.require_redis(), "LOGIN_ADDRESS_LIMIT": "1000 per minute"}
    first = desk_with_limits(tmp_path, **shared)
    second = create_app({"SETTINGS": first.settings, "TESTING": True, **shared}).test_client()  # another worker
    email = f"shared-{uuid.uuid4().hex}@comuni.example"
    body = {"email": email, "password": "x"}
    codes = attempts(first.client, body, 3) + attempts(second, body, 3)
    assert codes == [401] * 5 + [429]


def test_an_unknown_email_costs_the_same_password_hash_as_a_wrong_password(tmp_path, monkeypatch):
    desk = SchedulingDesk(tmp_path)
    verified = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash, password):
            verified.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "_hasher", CountingHasher())
    with desk.factory() as session:
        for email in (GIULIA["email"], "nobody@nowhere.example"):
            with pytest.raises(Exception, match="wrong e-mail or password"):
                accounts.authenticate(session, email, "wrong")
    assert len(verified) == 2  # both went through argon2


def test_a_missing_signing_key_is_503_and_a_wrong_password_still_401(tmp_path):
    desk = SchedulingDesk(tmp_path)
    desk.settings.jwt_private_key_path.unlink()
    assert desk.client.post(TOKEN, json=WRONG).status_code == 401
    missing = desk.client.post(TOKEN, json=GIULIA)
    assert missing.status_code == 503 and "signing key" in missing.get_json()["message"]


# --- tokens ----------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**overrides) -> dict:
    now = dt.datetime.now(dt.timezone.utc)
    base = {
        "sub": "account-x",
        "email": "x@example.org",
        "admin": True,
        "roles": {},
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(hours=1)).timestamp()),
    }
    return {**base, **overrides}


def forged_tokens(desk) -> dict[str, str]:
    private_pem = desk.settings.jwt_private_key_path.read_bytes()
    public_pem = desk.settings.jwt_public_key_path.read_bytes()
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    other_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    import hashlib
    import hmac

    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims()).encode())}"
    hs256 = _b64(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest())
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    return {
        "alg none": f"{header}.{_b64(json.dumps(claims()).encode())}.",
        "HS256 keyed with the public key": f"{signing_input}.{hs256}",
        "expired": jwt.encode(claims(exp=int(past.timestamp())), private_pem, algorithm=ALGORITHM),
        "another issuer": jwt.encode(claims(iss="someone-else"), private_pem, algorithm=ALGORITHM),
        "another audience": jwt.encode(claims(aud="another-app"), private_pem, algorithm=ALGORITHM),
        "another key": jwt.encode(claims(), other_key, algorithm=ALGORITHM),
        "no expiry": jwt.encode({k: v for k, v in claims().items() if k != "exp"}, private_pem, algorithm=ALGORITHM),
    }


def test_tampered_and_foreign_tokens_are_refused(tmp_path):
    desk = SchedulingDesk(tmp_path)
    publish = "/api/v1/events/no-such-event/publish"
    for name, token in forged_tokens(desk).items():
        response = desk.client.post(publish, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
    # Control: the same claims signed with the right key are an administrator's.
    good = issue_token(desk.settings.jwt_private_key_path.read_bytes(), Organiser("account-x", "x@e", True, {}))
    assert desk.client.post(publish, headers={"Authorization": f"Bearer {good}"}).status_code == 404


def test_a_forged_token_in_the_login_cookie_opens_no_page(tmp_path):
    desk = SchedulingDesk(tmp_path)
    from shared.web.auth import COOKIE

    for name, token in forged_tokens(desk).items():
        desk.client.set_cookie(COOKIE, token)
        response = desk.client.get("/organiser/")
        assert response.status_code == 302 and "/scheduling/login" in response.headers["Location"], name
    good = issue_token(desk.settings.jwt_private_key_path.read_bytes(), Organiser("account-x", "x@e", True, {}))
    desk.client.set_cookie(COOKIE, good)
    assert desk.client.get("/organiser/").status_code == 200  # control: a real token opens it
