"""Domain exceptions: services raise these; the API turns them into problem details."""
from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a service reports to its caller."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str = "", *, errors: dict | None = None, headers: dict | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str = "", **kwargs):
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="diary"')


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class PreconditionFailed(DomainError):
    status = 412
    title = "Precondition failed"


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload too large"


class Invalid(DomainError):
    """Input that passed the schema but breaks a domain rule (422, with per-field errors)."""

    status = 422
    title = "Unprocessable content"
