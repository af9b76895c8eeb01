"""Two settings that keep production safe: X-Forwarded-For is believed only
from the configured proxies, and off the embedded default the services refuse
to start on the public development secret."""

from __future__ import annotations

import pytest
from flask import Flask, request

from shared.config import DEVELOPMENT_SECRET, InsecureConfiguration, load_settings
from shared.web.proxies import trust_proxies


def client_seen(spec: str, peer: str, forwarded: str | None) -> str:
    app = Flask(__name__)
    app.add_url_rule("/", "who", lambda: request.remote_addr or "")
    trust_proxies(app, spec)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return app.test_client().get("/", headers=headers, environ_base={"REMOTE_ADDR": peer}).get_data(as_text=True)


@pytest.mark.parametrize(
    "spec, peer, forwarded, expected",
    [
        ("0", "198.51.100.7", "203.0.113.1", "198.51.100.7"),  # no proxy: the header is anyone's
        ("1", "10.0.0.2", "203.0.113.1", "203.0.113.1"),  # one proxy appended the client
        ("1", "10.0.0.2", "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # what the client sent itself is skipped
        ("10.0.0.0/8", "10.0.0.2", "203.0.113.1", "203.0.113.1"),  # from a trusted proxy
        ("10.0.0.0/8", "198.51.100.7", "203.0.113.1", "198.51.100.7"),  # not from one: ignored
        ("10.0.0.0/8, 127.0.0.1", "127.0.0.1", "6.6.6.6, 203.0.113.1, 10.1.2.3", "203.0.113.1"),  # a proxy chain
        ("10.0.0.0/8", "10.0.0.2", "not-an-address", "not-an-address"),  # garbage is one more bucket, not a bypass
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_vouch_for(spec, peer, forwarded, expected):
    assert client_seen(spec, peer, forwarded) == expected


def test_a_malformed_proxy_list_is_refused_at_start():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        trust_proxies(Flask(__name__), "10.0.0.0/33")


PRODUCTION = {
    "REGISTRATION_DATABASE_URL": "postgresql://eventi@db/eventi_registration",
    "BROKER_URL": "amqp://eventi:eventi@rabbitmq:5672/",
}


@pytest.mark.parametrize("secret", [None, DEVELOPMENT_SECRET, "short-secret"])
def test_production_settings_refuse_a_missing_public_or_short_secret(monkeypatch, secret):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        load_settings("registration")


def test_production_settings_start_with_a_real_secret_and_the_embedded_default_needs_none(monkeypatch):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    assert load_settings("registration").secret_key == "x" * 48
    for name in PRODUCTION:
        monkeypatch.delenv(name)
    monkeypatch.delenv("SECRET_KEY")
    assert load_settings("registration").secret_key == DEVELOPMENT_SECRET  # control: make run needs nothing
