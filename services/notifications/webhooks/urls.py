"""Which receiver addresses an endpoint may have. https only, unless
WEBHOOKS_ALLOW_HTTP is on (the embedded default, tests); and with it off no
loopback, private or link-local address either, so an organisation cannot
point deliveries at the servers beside ours. Names are checked as written:
a public name that resolves to a private address is not caught here."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from shared.errors import Unprocessable

MAX_URL = 2000
LOCAL_NAMES = ("localhost", "localhost.localdomain")


def checked_url(url: str, *, allow_http: bool) -> str:
    url = (url or "").strip()
    if not url or len(url) > MAX_URL:
        raise Unprocessable(f"the URL must have 1 to {MAX_URL} characters", field="url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise Unprocessable("not a valid URL", field="url") from None
    allowed = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in allowed:
        raise Unprocessable(f"the URL must start with {' or '.join(s + '://' for s in allowed)}", field="url")
    if not parts.hostname:
        raise Unprocessable("the URL needs a host", field="url")
    if parts.username or parts.password:
        raise Unprocessable("no user or password in the URL: authenticate with the signature", field="url")
    if parts.fragment:
        raise Unprocessable("no #fragment in the URL", field="url")
    if not allow_http and _local(parts.hostname):
        raise Unprocessable("the URL must point to a public host", field="url")
    return url


def _local(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global
