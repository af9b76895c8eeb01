"""Organiser login on the web: the same use case and token as the API
(POST /api/v1/auth/token), kept in an HttpOnly cookie for path "/"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request

from shared.errors import TooManyRequests, Unauthorized
from shared.web.auth import clear_organiser_cookie, safe_next, set_organiser_cookie, web_organiser
from shared.web.context import transaction
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import accounts
from ..context import config
from ..login_throttle import throttled_login

bp = html_errors(Blueprint("auth_pages", __name__))


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        if web_organiser() is not None:
            return redirect(next_path, code=303)
        return render_template("organiser/login.html", form={}, errors={}, next_path=next_path)
    email, password = request.form.get("email", "").strip(), request.form.get("password", "")

    def attempt() -> str:
        with transaction() as session:
            return accounts.log_in(session, email, password, private_key=config().private_key)

    try:
        token = throttled_login(attempt, email)
    except Unauthorized:
        errors = {"form": translate("E-mail o password errate.")}
        return render_template("organiser/login.html", form={"email": email}, errors=errors, next_path=next_path), 401
    except TooManyRequests as refused:
        errors = {"form": translate("Troppi tentativi non riusciti: riprova tra qualche minuto.")}
        page = render_template("organiser/login.html", form={"email": email}, errors=errors, next_path=next_path)
        return page, 429, {"Retry-After": str(refused.retry_after)}
    response = redirect(next_path, code=303)
    set_organiser_cookie(response, token, config().public_base_url)
    return response


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        return render_template("organiser/logout.html")
    response = redirect("/scheduling/", code=303)
    clear_organiser_cookie(response, config().public_base_url)
    flash(translate("Sei uscito."))
    return response
