"""The HTTP API (``/api/v1``): blueprints, OpenAPI document, request-level checks."""
from __future__ import annotations

from flask import Flask, request

from diary.api.problems import problem_response

API_PREFIX = "/api/v1"
JSON_MEDIA_TYPES = ("application/json",)


def blueprints() -> list:
    """(blueprint, url prefix) pairs; health lives at the root for load balancers."""
    from diary.api import diary_days, episodes, health, reports, sync, treatments
    from diary.api import admin, auth, care, me
    from diary.api import notifications

    return [
        (health.blp, ""),
        (episodes.blp, API_PREFIX),
        (diary_days.blp, API_PREFIX),
        (sync.blp, API_PREFIX),
        (auth.blp, API_PREFIX),
        (me.blp, API_PREFIX),
        (care.blp, API_PREFIX),
        (admin.blp, API_PREFIX),
        (reports.blp, API_PREFIX),
        (treatments.blp, API_PREFIX),
        (notifications.blp, API_PREFIX),
    ]


def _is_json(mimetype: str) -> bool:
    return mimetype in JSON_MEDIA_TYPES or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")


def reject_non_json_bodies():
    """415 for a body that is not JSON; a request without a body passes (e.g. logout)."""
    if request.method in ("POST", "PUT", "PATCH") and request.path.startswith(API_PREFIX):
        if _has_body() and not _is_json(request.mimetype):
            return problem_response(415, "Send the body as application/json (UTF-8).")
    return None


def init_app(app: Flask) -> None:
    from diary.api.base import Api
    from diary.api.security import BEARER_SCHEME

    api = Api(app)
    app.extensions["diary_api"] = api
    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)
    for blueprint, prefix in blueprints():
        api.register_blueprint(blueprint, url_prefix=prefix or None)
    app.before_request(reject_non_json_bodies)
