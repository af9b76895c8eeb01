"""Domain errors are condition nouns; the HTTP layer maps each kind to a
status and a JSON body naming the field."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    field: str | None = None
    location = "json"  # where the field is: json, query, form, path

    def __init__(self, message: str, *, field: str | None = None, location: str | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if location is not None:
            self.location = location


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Unprocessable(DomainError):
    status = 422


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class TooManyRequests(DomainError):
    """Refused for now; `retry_after` seconds tell when to try again."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """The service cannot answer until its operator acts (e.g. a missing key)."""

    status = 503
