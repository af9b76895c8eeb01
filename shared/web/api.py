"""What every service's HTTP layer shares: the OpenAPI setup, JSON errors,
/healthz and /readyz. Flask is used in shared/web/ and each service's web/ only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from flask import Flask, jsonify, request, send_from_directory
from flask_smorest import Api
from sqlalchemy import text
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import HTTPException

from shared.errors import DomainError
from shared.messaging.connection import bus_reachable
from shared.redaction import redact

log = logging.getLogger(__name__)

SWAGGER_UI_ASSETS = "/api/v1/docs/assets/"


class BodyLimit(BasePlugin):
    """Every operation that takes a body may answer 413: the services refuse
    bodies above MAX_CONTENT_LENGTH before any view runs."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for operation in (operations or {}).values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault(
                    "413",
                    {
                        "description": "The body is larger than the service accepts",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )


class DocumentedApi(Api):
    """flask-smorest's Api without the catch-all `default` error response on
    every operation: each status an operation answers is documented by it
    (shared.web.fields.documented_errors), so a client or a fuzzer can hold
    the service to its document."""

    DEFAULT_ERROR_RESPONSE_NAME = None


def create_api(app: Flask, *, title: str, description: str) -> Api:
    """The OpenAPI document and its Swagger UI, whose files the service serves
    itself (swagger-ui-bundle-v2): no page loads script from another site."""
    app.add_url_rule(f"{SWAGGER_UI_ASSETS}<path:filename>", "swagger_ui_assets", _swagger_ui_asset)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=SWAGGER_UI_ASSETS,  # the template links them with url_for (the prefix)
        API_SPEC_OPTIONS={"info": {"description": description}},
    )
    return DocumentedApi(app, spec_kwargs={"extra_plugins": [BodyLimit()]})


def _swagger_ui_asset(filename: str):
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)


def error_body(status: int, message: str, field: str | None = None, location: str = "json") -> dict:
    body = {"code": status, "status": _reason(status), "message": message}
    if field:
        body["errors"] = {location: {field: [message]}}
    return body


def _reason(status: int) -> str:
    return HTTPStatus(status).phrase


def install_error_handlers(app: Flask, *, page_for_http_error: Callable[[HTTPException], Any] | None = None) -> None:
    """JSON bodies for API clients; `page_for_http_error` renders the page a
    browser gets for a mistyped address (the pages layer supplies it)."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return jsonify(error_body(exc.status, exc.message, exc.field, exc.location)), exc.status, domain_headers(exc)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if _browser_page_request():  # a mistyped address in a browser: a page, not JSON
            from shared.web.pages import (
                http_error_page,  # here: shared.web imports shared.web.context, which imports us
            )

            return http_error_page(exc)
        body = error_body(exc.code or 500, exc.description or exc.name)
        data = getattr(exc, "data", None) or {}
        if data.get("messages"):  # webargs validation: name every bad field
            body["errors"] = data["messages"]
            body["message"] = "Invalid input: see errors."
        return jsonify(body), exc.code or 500, error_headers(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, redact(request.path))
        return jsonify(error_body(500, "Internal error; it has been logged.")), 500


def domain_headers(exc: DomainError) -> dict[str, str]:
    retry_after = getattr(exc, "retry_after", None)
    return {"Retry-After": str(retry_after)} if retry_after is not None else {}


def error_headers(exc: HTTPException) -> list[tuple[str, str]]:
    """The headers the error carries (Allow of a 405, WWW-Authenticate, Retry-After), but its content type."""
    return [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]


def _browser_page_request() -> bool:
    """Outside /api/ and from a client that prefers HTML (a browser; API clients
    and tools that send no Accept header get JSON)."""
    if request.path.startswith("/api/"):
        return False
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def install_health(app: Flask, settings, engine) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": settings.service}

    @app.get("/readyz")
    def readyz():
        checks = {"database": _database_ok(engine), "bus": bus_reachable(settings.broker_url, settings.bus_dir)}
        ready = all(ok for ok, _ in checks.values())
        body = {
            "status": "ready" if ready else "not ready",
            "service": settings.service,
            "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
        }
        return body, 200 if ready else 503


def _database_ok(engine) -> tuple[bool, str]:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True, "ok"
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
