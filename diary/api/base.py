"""House subclasses of flask-smorest's Api, Blueprint and Schema: customisation's one home."""
from __future__ import annotations

import flask_smorest
import marshmallow as ma
from flask import current_app
from werkzeug.exceptions import HTTPException, InternalServerError

from diary.api.problems import ProblemSchema, flatten_errors, problem_response
from diary.errors import DomainError


class Schema(ma.Schema):
    """Base schema: unknown fields are an error (the contract rejects them with 422)."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


class Blueprint(flask_smorest.Blueprint):
    """The API's blueprint type (one per resource family)."""


class Api(flask_smorest.Api):
    """flask-smorest's Api, answering every error as RFC 9457 problem+json."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(DomainError, self.handle_domain_error)

    def handle_http_exception(self, error: HTTPException):
        if isinstance(error, InternalServerError) or error.code >= 500:
            original = getattr(error, "original_exception", None)
            if original is not None:
                current_app.logger.error("unhandled error", exc_info=original)
            detail = "The server failed to answer; the error has been logged."
            if error.code != 500:
                detail = error.description or detail
            return problem_response(error.code or 500, detail)
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
        data = getattr(error, "data", None) or {}
        headers.update(data.get("headers") or {})
        errors = data.get("errors") or data.get("messages")
        detail = data.get("message") or error.description or ""
        if errors:
            errors = flatten_errors(errors)
            if error.code == 422:
                detail = data.get("message") or "The request has invalid fields: " + ", ".join(errors) + "."
        return problem_response(error.code, detail, errors=errors, headers=headers)

    def handle_domain_error(self, error: DomainError):
        return problem_response(error.status, error.detail, title=error.title,
                                errors=error.errors, headers=error.headers)
