"""House subclasses of flask-smorest's Api, Blueprint and Schema: customisation's one home."""
from __future__ import annotations

import http
import re

import flask_smorest
import marshmallow as ma
from flask import current_app
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, InternalServerError

from diary.api.problems import PROBLEM_MEDIA_TYPE, ProblemSchema, flatten_errors, problem_response
from diary.errors import DomainError


# JSON may escape what UTF-8 cannot hold (a lone surrogate, "\udc00") and what PostgreSQL's
# text refuses (NUL, "\u0000"); either reached the database or a hash and answered 500.
UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Text must not hold NUL characters or lone surrogates (\\u0000, \\ud800-\\udfff)."


def _unstorable(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and UNSTORABLE_TEXT.search(v) for v in values)


class Schema(ma.Schema):
    """Base schema: unknown fields are an error (the contract rejects them with 422), and so
    is text that cannot be stored (checked here for each object: nested ones have their own
    schema)."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    @ma.pre_load
    def _refuse_unstorable_text(self, data, **kwargs):
        if isinstance(data, dict):
            errors = {key: [UNSTORABLE_MESSAGE] for key, value in data.items()
                      if _unstorable(key) or _unstorable(value)}
            if errors:
                raise ma.ValidationError(errors)
        return data


class PatchSchemaMixin:
    """For a PATCH body (``class XPatchSchema(PatchSchemaMixin, XSchema)``): any top-level
    field may be left out and keeps its stored value, so no defaults (in loading nor in the
    document); an object or list item that is sent is checked whole."""

    def __init__(self, **kwargs):
        kwargs.setdefault("partial", tuple(self._declared_fields))
        super().__init__(**kwargs)
        for field in self.fields.values():
            field.load_default = ma.missing


class ArgumentsParser(FlaskParser):
    """webargs' parser, for which a body nested deeper than Python's JSON decoder goes (a
    ``RecursionError``) is invalid JSON (400) like any other, not a 500."""

    def load_json(self, req, schema):
        try:
            return super().load_json(req, schema)
        except RecursionError as exc:
            return self._handle_invalid_json_error(exc, req)


def problem_doc(description: str) -> dict:
    """An error response as documented by ``alt_response``: problem+json."""
    return {"schema": ProblemSchema, "description": description,
            "content_type": PROBLEM_MEDIA_TYPE}


class Blueprint(flask_smorest.Blueprint):
    """The API's blueprint type (one per resource family).

    Every operation that is not public (``@blp.doc(security=[])``) documents 401. A view
    class may name ``responses_not_given``: statuses its shared methods document that its own
    route never answers (e.g. 403 where the path names a patient, and the answer is 404)."""

    ARGUMENTS_PARSER = ArgumentsParser()
    UNAUTHORIZED = "No valid bearer token (missing, unknown, expired or revoked)"

    def _store_endpoint_docs(self, endpoint, obj, parameters, tags, **options):
        super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)
        not_given = getattr(obj, "responses_not_given", ())
        for method, doc in self._docs[endpoint].items():
            if method == "parameters":
                continue
            responses = doc.setdefault("response", {}).setdefault("responses", {})
            for status in not_given:
                responses.pop(status, None)
            if doc.get("manual_doc", {}).get("security") != []:
                responses.setdefault(401, [problem_doc(self.UNAUTHORIZED)])


class Api(flask_smorest.Api):
    """flask-smorest's Api, answering every error as RFC 9457 problem+json."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def _register_responses(self):
        """smorest's named responses (``response="NOT_FOUND"``, the 422 of ``@blp.arguments``,
        every operation's ``default``), with errors documented as problem+json."""
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if status >= 400:
                response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": self.ERROR_SCHEMA}}
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, {
            "description": "Any other error, as problem details: e.g. 405 (with `Allow`), 413 "
                           "(body too large), 415 (not JSON), 429 (with `Retry-After`), 500.",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": self.ERROR_SCHEMA}},
        }, lazy=True)

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


# The header documented on answers that create something.
LOCATION = {"Location": {"description": "The created resource's URL", "schema": {"type": "string"}}}


def problem_responses(blp: Blueprint, descriptions: dict[int, str]):
    """``problems(*codes)``: a decorator documenting an operation's problem responses (besides
    422 for bad input, which flask-smorest documents itself), described by ``descriptions``."""

    def problems(*codes: int):
        def decorator(view):
            for code in reversed(codes):
                view = blp.alt_response(code, schema=ProblemSchema, description=descriptions[code],
                                        content_type=PROBLEM_MEDIA_TYPE)(view)
            return view

        return decorator

    return problems
