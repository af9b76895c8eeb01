"""The client's address behind reverse proxies. X-Forwarded-For is believed
only as far as the configured proxies vouch for it, because anyone can send
the header: TRUSTED_PROXIES is either a count ("1": one proxy in front, such
as the nginx of deploy/, appends the address it saw) or a list of the
proxies' addresses and networks ("10.0.0.0/8, 127.0.0.1"), in which case the
header is read only when the connection comes from one of them, right to
left, up to the first address that is not a proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trust_proxies(app: Flask, spec: str) -> None:
    """Wrap the app so request.remote_addr (and the scheme) are the client's."""
    spec = (spec or "0").strip()
    if spec.isdigit():
        if int(spec):
            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(spec), x_proto=int(spec))  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
        return
    app.wsgi_app = TrustedNetworks(app.wsgi_app, parse_networks(spec))  # type: ignore[method-assign]  # as above


def parse_networks(spec: str) -> list[Network]:
    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"TRUSTED_PROXIES: {exc} (a number of proxies, or addresses and networks)") from None


class TrustedNetworks:
    """WSGI middleware: REMOTE_ADDR becomes the nearest address in X-Forwarded-For
    that is not one of the trusted proxies, when the request came through one."""

    def __init__(self, wsgi_app: Callable, networks: Iterable[Network]):
        self.wsgi_app = wsgi_app
        self.networks = tuple(networks)

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR", "")
        if self._trusted(peer):
            hops = [hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            client = peer
            for hop in reversed(hops):
                client = hop
                if not self._trusted(hop):
                    break
            environ["REMOTE_ADDR"] = client
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.wsgi_app(environ, start_response)

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)
