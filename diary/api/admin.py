"""``/admin``: administrators create clinicians' accounts (as ``flask create-user`` does)."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from diary.api import API_PREFIX
from diary.api.auth import create_account
from diary.api.base import Blueprint
from diary.api.schemas.accounts import ClinicianAccountSchema, MeSchema
from diary.api.security import auth_required, current_user
from diary.errors import NotFound
from diary.extensions import db
from diary.models import User
from diary.services.audit import record_audit

blp = Blueprint("admin", __name__, description="Administration (admin accounts only)")


@blp.route("/admin/clinicians")
class Clinicians(MethodView):
    decorators = [auth_required("admin")]

    @blp.arguments(ClinicianAccountSchema)
    @blp.response(201, MeSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(409, response="CONFLICT", description="An account with this email exists.")
    def post(self, data):
        """Create a clinician's account (administrators)"""
        clinician = create_account("clinician", data)
        record_audit("account.created", current_user(), subject=("user", clinician.id),
                     data={"role": "clinician"})
        return clinician, {"Location": f"{API_PREFIX}/admin/users/{clinician.id}"}


@blp.route("/admin/users/<uuid:user_id>")
class UserById(MethodView):
    decorators = [auth_required()]

    @blp.response(200, MeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, user_id: uuid.UUID):
        """One account (administrators; 404 for anyone else)"""
        user = db.session.get(User, user_id)
        if user is None or current_user().role != "admin":
            raise NotFound("No such account.")
        return user
