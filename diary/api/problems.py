"""RFC 9457 problem details: the one JSON error format of the API."""
from __future__ import annotations

from http import HTTPStatus

import marshmallow as ma
from flask import Response, json

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://diary.example/problems/"


def problem_body(status: int, detail: str, *, title: str | None = None,
                 errors: dict | None = None, type_: str | None = None) -> dict:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body = {
        "type": type_ or PROBLEM_TYPE_BASE + phrase.lower().replace(" ", "-").replace("'", ""),
        "title": title or phrase,
        "status": status,
        "detail": detail or phrase,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(status: int, detail: str, *, title: str | None = None,
                     errors: dict | None = None, headers: dict | None = None) -> Response:
    body = problem_body(status, detail, title=title, errors=errors)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_errors(messages) -> dict[str, list[str]]:
    """webargs nests errors by location (``{"json": {...}, "query": {...}}``) and marshmallow
    nests them by field; clients get one flat object: ``{"field.sub": ["message", ...]}``."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, (list, tuple)):
            if all(isinstance(v, str) for v in value):
                flat.setdefault(prefix or "_schema", []).extend(value)
            else:
                for sub in value:
                    walk(prefix, sub)
        else:
            flat.setdefault(prefix or "_schema", []).append(str(value))

    if isinstance(messages, dict):
        for location, fields in messages.items():
            if location in ("json", "query", "querystring", "headers", "form", "files", "view_args", "path"):
                walk("", fields)
            else:
                walk(str(location), fields)
    else:
        walk("", messages)
    return flat


class ProblemSchema(ma.Schema):
    """Documents the error payload (RFC 9457)."""

    type = ma.fields.String(metadata={"description": "URI identifying the problem type"})
    title = ma.fields.String(metadata={"description": "Short summary of the problem type"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong with this request"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Validation errors: field name to messages"},
    )
