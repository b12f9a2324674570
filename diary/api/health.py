"""``/healthz``: is the service up and does its database answer."""
from __future__ import annotations

import marshmallow as ma
from sqlalchemy import text

from diary.api.base import Blueprint
from diary.extensions import db

blp = Blueprint("health", __name__, description="Liveness and readiness")


class HealthSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "`ok` or `unavailable`"})
    database = ma.fields.String(metadata={"description": "`ok` or `unavailable`"})


@blp.route("/healthz")
@blp.doc(security=[])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database does not answer")
def health():
    """Report whether the service and its database answer"""
    try:
        db.session.execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok"}
    except Exception:  # any driver error means "not ready"
        db.session.rollback()
        return {"status": "unavailable", "database": "unavailable"}, 503
