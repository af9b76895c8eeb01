"""What every service's web pages share: CSRF protection on every form,
secure session cookies, the language (switch and template helpers), the
organiser of the login cookie, and HTML error pages for page blueprints.

JSON APIs (paths under /api/) are exempt from CSRF: they authenticate with
bearer tokens (or a secret in the URL), which a browser never sends by itself."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, redirect, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from shared.errors import DomainError
from shared.formatting import format_date, format_moment, format_time, format_when, local_input, type_label, words
from shared.redaction import redact
from shared.web import i18n
from shared.web.api import domain_headers, error_headers
from shared.web.auth import here, safe_next, secure_cookies, web_organiser
from shared.web.context import ctx
from shared.web.form_errors import localize_error

log = logging.getLogger(__name__)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
csrf = CSRFProtect()


class PrefixedSessionInterface(SecureCookieSessionInterface):
    """Each service's session cookie (it holds the CSRF secret) is scoped to
    its own prefix, so the three services on one origin never overwrite it."""

    def get_cookie_path(self, app: Flask) -> str:
        return app.config.get("SESSION_COOKIE_PATH") or request.script_root or "/"


def install_web(app: Flask, settings) -> None:
    secure = secure_cookies(settings.public_base_url)
    app.config.setdefault("WTF_CSRF_ENABLED", not app.config.get("TESTING"))
    app.config.update(WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_SSL_STRICT=secure)
    app.config.update(
        SESSION_COOKIE_NAME=f"eventi_{settings.service}",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
    )
    app.session_interface = PrefixedSessionInterface()
    csrf.init_app(app)
    app.before_request(_protect_forms)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.after_request(_vary_pages)
    app.jinja_env.globals.update(
        _=i18n.gettext_markup,
        localized=i18n.localized,
        current_language=i18n.current_language,
        web_organiser=web_organiser,
        here=here,
        fmt_when=_when,
        fmt_day=_day,
        fmt_time=_time,
        fmt_kind=_kind,
        csrf_field=csrf_field,
    )
    app.jinja_env.globals["status_text"] = status_text
    app.jinja_env.filters["todatetime"] = _to_datetime
    app.jinja_env.filters["localized"] = i18n.localized
    app.jinja_env.filters["when"] = when  # {{ d.created_at|when(event.timezone) }}
    app.jinja_env.filters["words"] = in_words  # {{ r.status|words('registration_status') }}
    app.jinja_env.filters["local_input"] = local_input  # a datetime-local value in the event's zone
    app.register_blueprint(language_bp)


def _protect_forms():
    if request.method not in SAFE_METHODS and not request.path.startswith("/api/"):
        csrf.protect()


def csrf_field() -> Markup:
    from flask_wtf.csrf import generate_csrf

    return Markup(f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">')


def _csrf_refused(exc: CSRFError):
    message = i18n.translate("Il modulo è scaduto o non viene da questo sito: ricarica la pagina e riprova.")
    return render_template("error.html", status=400, message=message), 400


def _vary_pages(response):
    if response.mimetype == "text/html":  # the language and the organiser come from cookies
        response.vary.update(("Cookie", "Accept-Language"))
    return response


def _when(starts_at, ends_at, timezone) -> str:
    return format_when(starts_at, ends_at, timezone, i18n.current_language())


def _day(moment, timezone=None) -> str:
    return format_date(moment, timezone, i18n.current_language())


def _time(moment, timezone) -> str:
    return format_time(moment, timezone)


def when(moment, timezone=None) -> str:
    """A moment (or its ISO text) in the event's zone (Europe/Rome without one), in the page's language."""
    return format_moment(_to_datetime(moment), timezone, i18n.current_language()) if moment else ""


def in_words(key, table: str) -> str:
    """A stored key (status, kind, role...) in the page's language."""
    return words(key, table, i18n.current_language())


STATUS_TEXTS = {
    "draft": "Bozza",
    "published": "Pubblicato",
    "cancelled": "Annullato",
    "pending": "In attesa di approvazione",
    "confirmed": "Confermata",
    "waitlisted": "In lista d'attesa",
    "offered": "Posto offerto",
    "rejected": "Non approvata",
    "expired": "Offerta scaduta",
    "requested": "Richiesto",
    "sent": "Inviata",
    "failed": "Non recapitata",
}


REGISTRATION_TEXTS = {**STATUS_TEXTS, "cancelled": "Annullata"}


def status_text(status: str, of: str = "event") -> str:
    """A status in the page's language; `of="registration"` for registrations (Italian agrees in gender)."""
    texts = REGISTRATION_TEXTS if of == "registration" else STATUS_TEXTS
    return i18n.translate(texts[status]) if status in texts else status


def _to_datetime(value):
    import datetime as dt

    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def _kind(event_type: str) -> str:
    return type_label(event_type, i18n.current_language())


# --- the language switch ------------------------------------------------------------

language_bp = Blueprint("language", __name__)


@language_bp.get("/language/<code>")
def switch_language(code):
    """Remember the language (cookie for the whole origin) and go back."""
    response = redirect(safe_next(request.args.get("next"), default=request.script_root + "/"), code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE,
            code,
            max_age=i18n.COOKIE_MAX_AGE,
            path="/",
            samesite="Lax",
            httponly=True,
            secure=secure_cookies(ctx().settings.public_base_url),
        )
    return response


# --- HTML errors for page blueprints ----------------------------------------------------


def html_errors(bp: Blueprint) -> Blueprint:
    """Errors in these pages answer an HTML page with the same status as the API would."""
    bp.register_error_handler(DomainError, _domain_page)
    bp.register_error_handler(HTTPException, http_error_page)
    bp.register_error_handler(Exception, _unexpected_page)
    return bp


def _domain_page(exc: DomainError):
    page = render_template("error.html", status=exc.status, message=localize_error(exc.message))
    return page, exc.status, domain_headers(exc)


# What a page says for an HTTP error raised without a message of its own
# (werkzeug's default descriptions are English sentences for developers).
HTTP_MESSAGES = {
    403: "Non hai i permessi per questa pagina.",
    404: "La pagina che cerchi non esiste o non è più disponibile.",
    405: "Questa pagina non accetta questa operazione.",
}


def http_error_page(exc: HTTPException):
    status = exc.code or 500
    if exc.description and exc.description != type(exc).description:  # a page's own message
        message = localize_error(exc.description)
    else:
        message = i18n.translate(HTTP_MESSAGES.get(status, "Si è verificato un errore."))
    return render_template("error.html", status=status, message=message), status, error_headers(exc)


def _unexpected_page(exc: Exception):
    log.exception("unhandled error on %s %s", request.method, redact(request.path))
    return render_template("error.html", status=500, message=i18n.translate("Errore interno: è stato registrato.")), 500
