"""Response headers every service sends: a Content-Security-Policy without
inline script, no sniffing, no framing, a referrer that never leaves the
origin (secret links sit in URLs), HSTS when served over https, and no
caching of anything a secret link opens."""

from __future__ import annotations

from flask import Flask, request

from shared.redaction import opens_with_secret

# Inline style attributes stay allowed (track colours are custom properties set
# per element); every script and style sheet comes from the service itself.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        # Bootstrap Italia's style sheet carries one icon font as a data: URL
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"
SECRET_CACHE_CONTROL = "private, no-store"


def install_security_headers(app: Flask, *, https: bool) -> None:
    def add_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            headers.setdefault("X-Frame-Options", "DENY")
        if https:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if opens_with_secret(request.path) and "Cache-Control" not in headers:
            headers["Cache-Control"] = SECRET_CACHE_CONTROL
        return response

    app.after_request(add_headers)
