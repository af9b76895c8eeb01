"""Organisers on the web pages: the same EdDSA JWT as the API, kept in an
HttpOnly cookie scoped to path "/" so the organiser pages of all three
services verify it with the public key alone. The JSON APIs never read this
cookie: they take bearer tokens only (so they need no CSRF token)."""

from __future__ import annotations

import functools
from urllib.parse import quote

from flask import g, redirect, request

from shared.auth import TOKEN_LIFETIME, Organiser, verify_token
from shared.errors import Unauthorized
from shared.web.context import ctx

COOKIE = "eventi_organiser"
LOGIN_PATH = "/scheduling/login"


def secure_cookies(public_base_url: str) -> bool:
    return public_base_url.lower().startswith("https://")


def set_organiser_cookie(response, token: str, public_base_url: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(TOKEN_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="Lax",
        secure=secure_cookies(public_base_url),
    )


def clear_organiser_cookie(response, public_base_url: str) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Lax", secure=secure_cookies(public_base_url))


def web_organiser() -> Organiser | None:
    """The organiser of this request's cookie, or None (absent, expired, forged)."""
    if "web_organiser" not in g:
        g.web_organiser = _verified(request.cookies.get(COOKIE))
    return g.web_organiser


def _verified(token: str | None) -> Organiser | None:
    public_key = ctx().public_key
    if not token or public_key is None:
        return None
    try:
        return verify_token(public_key, token)
    except Unauthorized:
        return None


def here() -> str:
    """This page's path on the gateway (with the service's prefix)."""
    query = request.query_string.decode("latin-1")
    return request.script_root + request.path + (f"?{query}" if query else "")


def login_url(next_path: str | None = None) -> str:
    return f"{LOGIN_PATH}?next={quote(next_path or here(), safe='/')}"


def safe_next(value: str | None, default: str = "/scheduling/organiser/") -> str:
    """Only a path on this origin: never //host or a scheme (open redirect).
    Browsers drop tabs and line breaks from a URL and read a backslash as a
    slash ("/<TAB>/evil.example" goes to //evil.example), so a path with any
    control character, space or backslash is refused whole."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if any(char <= " " or char == "\x7f" or char == "\\" for char in value):
        return default
    return value


def _path_of(url: str) -> str:
    """The path and query of a same-origin referrer ("" for another host)."""
    host = request.host_url.rstrip("/")
    return url[len(host) :] if url.startswith(host + "/") else ""


def organiser_required(view):
    """Pages for organisers: without a valid login cookie, off to the login
    page (which comes back here afterwards). The organiser is passed on."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        organiser = web_organiser()
        if organiser is None:
            if request.method == "GET":
                return redirect(login_url(), code=302)
            return redirect(login_url(safe_next(request.referrer and _path_of(request.referrer))), code=303)
        return view(organiser, *args, **kwargs)

    return wrapper
